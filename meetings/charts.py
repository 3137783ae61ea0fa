"""Geometry of the server-rendered trends chart (a topic × quarter grid, darker = more).

The template draws it as SVG; every number is also printed in its cell and in the data table
beside the chart, so nothing depends on telling shades apart.
"""

from dataclasses import dataclass

LABEL_WIDTH = 210
CELL_WIDTH = 76
CELL_HEIGHT = 30
HEADER_HEIGHT = 34


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    value: int
    opacity: str
    dark: bool
    label: str


def heat_grid(table) -> dict:
    maximum = table.maximum or 1
    rows = []
    for index, (topic, cells) in enumerate(table.rows):
        y = HEADER_HEIGHT + index * CELL_HEIGHT
        row_cells = []
        for column, (quarter, _issues, _case_studies, total) in enumerate(cells):
            share = total / maximum
            row_cells.append(Cell(
                x=LABEL_WIDTH + column * CELL_WIDTH, y=y, value=total,
                opacity=f"{0.08 + 0.92 * share:.2f}" if total else "0", dark=share > 0.55,
                label=f"{topic.name}, {table.quarter_label(quarter)}: {total}",
            ))
        rows.append({"topic": topic, "y": y, "text_y": y + CELL_HEIGHT // 2 + 5, "cells": row_cells})
    columns = [{"label": table.quarter_label(q), "x": LABEL_WIDTH + i * CELL_WIDTH + CELL_WIDTH // 2}
               for i, q in enumerate(table.quarters)]
    return {
        "width": LABEL_WIDTH + max(len(table.quarters), 1) * CELL_WIDTH,
        "height": HEADER_HEIGHT + max(len(rows), 1) * CELL_HEIGHT,
        "cell_width": CELL_WIDTH - 4,
        "cell_height": CELL_HEIGHT - 4,
        "half_cell": CELL_WIDTH // 2 - 2,
        "label_x": LABEL_WIDTH - 8,
        "rows": rows,
        "columns": columns,
    }
