"""A radar chart of self and manager levels, drawn as SVG on the server."""

import math

SIZE = 360
CENTRE = SIZE / 2
RADIUS = 120


def _point(index, count, fraction):
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return (
        round(CENTRE + RADIUS * fraction * math.cos(angle), 1),
        round(CENTRE + RADIUS * fraction * math.sin(angle), 1),
    )


def radar(labels, series, *, top):
    """labels: competency names; series: {name: [level or None, ...]}; top: highest level.

    Returns what the template needs: rings, axes with label positions, one polygon per series."""
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
    polygons = {
        name: " ".join(
            f"{x},{y}"
            for x, y in (_point(i, count, (v or 0) / top) for i, v in enumerate(values))
        )
        for name, values in series.items()
    }
    return {"size": SIZE, "centre": CENTRE, "rings": rings, "axes": axes, "polygons": polygons}
