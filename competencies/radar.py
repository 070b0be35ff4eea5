"""A radar chart of competency levels, drawn as SVG on the server.

Each series is a line of its own style: a dash pattern, a colour and a marker shape, so the
lines stay apart where they agree and in black and white print (the template draws them)."""

import math

SIZE = 360
CENTRE = SIZE / 2
RADIUS = 120
# Half the width of a marker, in SVG units.
MARK = 4


def _point(index, count, fraction):
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return (
        round(CENTRE + RADIUS * fraction * math.cos(angle), 1),
        round(CENTRE + RADIUS * fraction * math.sin(angle), 1),
    )


def _marker(x, y):
    """Where each marker shape goes around a point: a square's corner, a triangle's points."""
    return {
        "x": x, "y": y,
        "square_x": round(x - MARK, 1), "square_y": round(y - MARK, 1),
        "triangle": f"{x},{round(y - MARK - 1, 1)} {round(x + MARK + 1, 1)},"
                    f"{round(y + MARK, 1)} {round(x - MARK - 1, 1)},{round(y + MARK, 1)}",
    }


def radar(labels, series, *, top):
    """labels: competency names; series: {name: [level or None, ...]}, in drawing order;
    top: highest level.

    Returns what the template needs: rings, axes with label positions, and per series with
    any level a polygon and a marker at each answered level. A series with no level at all
    (no review yet, no last year) is left out."""
    count = len(labels)
    if count < 3 or top < 1:
        return None
    rings = [
        " ".join(f"{x},{y}" for x, y in (_point(i, count, level / top) for i in range(count)))
        for level in range(1, top + 1)
    ]
    axes = []
    for i, label in enumerate(labels):
        x, y = _point(i, count, 1)
        lx, ly = _point(i, count, 1.12)
        anchor = "middle" if abs(lx - CENTRE) < 10 else ("start" if lx > CENTRE else "end")
        axes.append({"x": x, "y": y, "lx": lx, "ly": ly, "label": label, "anchor": anchor})
    lines = {}
    for name, values in series.items():
        if all(v is None for v in values):
            continue
        points = [_point(i, count, (v or 0) / top) for i, v in enumerate(values)]
        lines[name] = {
            "polygon": " ".join(f"{x},{y}" for x, y in points),
            "markers": [_marker(x, y) for (x, y), v in zip(points, values, strict=True)
                        if v is not None],
        }
    return {"size": SIZE, "centre": CENTRE, "rings": rings, "axes": axes, "lines": lines}
