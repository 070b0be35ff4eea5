"""python -m bench [--quick] [--before COMMIT] …: the whole benchmark (bench.run);
python -m bench seed …, python -m bench pages …: one step, with Django set up."""

import os
import sys

if __name__ == "__main__":
    command, *rest = sys.argv[1:] or [""]
    if command in ("seed", "pages"):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agentnet.settings")
        import django

        django.setup()
        from bench import pages, seed

        {"seed": seed, "pages": pages}[command].main(rest)
    else:
        from bench import run

        run.main(sys.argv[1:])
