"""The offline map of where members are (流动党员分布图): one square per provincial-level division in its approximate
place on a fixed grid, coloured by how many members are away there. No base map, nothing from the internet."""

import math

from organizations.models import PROVINCES

# (row, column) of each of the 34 provincial-level divisions on an 8 × 8 grid, north at the top.
GRID: dict[str, tuple[int, int]] = {
    "黑龙江省": (0, 7),
    "内蒙古自治区": (1, 4), "北京市": (1, 5), "吉林省": (1, 7),
    "新疆维吾尔自治区": (2, 1), "甘肃省": (2, 2), "宁夏回族自治区": (2, 3), "山西省": (2, 4), "河北省": (2, 5),
    "天津市": (2, 6), "辽宁省": (2, 7),
    "青海省": (3, 2), "陕西省": (3, 3), "河南省": (3, 4), "山东省": (3, 5),
    "西藏自治区": (4, 1), "四川省": (4, 2), "重庆市": (4, 3), "湖北省": (4, 4), "安徽省": (4, 5), "江苏省": (4, 6),
    "上海市": (4, 7),
    "云南省": (5, 2), "贵州省": (5, 3), "湖南省": (5, 4), "江西省": (5, 5), "浙江省": (5, 6),
    "广西壮族自治区": (6, 3), "广东省": (6, 4), "福建省": (6, 5), "台湾省": (6, 6),
    "海南省": (7, 3), "澳门特别行政区": (7, 4), "香港特别行政区": (7, 5),
}  # fmt: skip
ROWS = 1 + max(row for row, _column in GRID.values())
COLUMNS = 1 + max(column for _row, column in GRID.values())
assert set(GRID) == set(PROVINCES) and len(set(GRID.values())) == len(GRID), "one square per province, none shared"

SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
# Light to dark: classes 1 to 5; 0 is the empty colour (static/yearly/tile_map.css has the same, .tile-l0 to l5).
COLOURS = ("#f1f3f5", "#fde0d9", "#fbb4a4", "#f4795f", "#d9372b", "#9e1a14")
CLASSES = len(COLOURS) - 1


def short_name(province: str) -> str:
    for suffix in SUFFIXES:
        if province.endswith(suffix) and province != suffix:
            return province[: -len(suffix)]
    return province


def bounds(largest: int) -> list[int]:
    """Upper bounds of the colour classes for counts up to `largest`: geometric steps (largest^(i/5)), so a few
    members somewhere stay visible beside hundreds in Guangdong; distinct, increasing, the last = largest."""
    if largest <= 0:
        return []
    result: list[int] = []
    for i in range(1, CLASSES + 1):
        bound = largest if i == CLASSES else math.ceil(largest ** (i / CLASSES))
        if not result or bound > result[-1]:
            result.append(bound)
    return result


def colour_class(count: int, upper: list[int]) -> int:
    if count <= 0:
        return 0
    for i, bound in enumerate(upper):
        if count <= bound:
            # Spread the classes over the palette when there are fewer than five (small counts).
            return 1 + round(i * (CLASSES - 1) / max(len(upper) - 1, 1))
    return CLASSES


def tile_map(counts: dict[str, int]) -> dict:
    """Squares (with place, count and colour), the legend and the table rows for {province: members}."""
    upper = bounds(max(counts.values(), default=0))
    tiles = []
    for province, (row, column) in GRID.items():
        n = counts.get(province, 0)
        level = colour_class(n, upper)
        tiles.append(
            {
                "province": province,
                "label": short_name(province),
                "row": row + 1,
                "column": column + 1,
                "count": n,
                "level": level,
                "colour": COLOURS[level],
            }
        )
    legend = [{"label": "0", "level": 0}]
    lower = 1
    for bound in upper:
        level = colour_class(bound, upper)
        legend.append({"label": str(bound) if bound == lower else f"{lower}–{bound}", "level": level})
        lower = bound + 1
    other = sum(n for province, n in counts.items() if province not in GRID)
    table = sorted(((p, n) for p, n in counts.items() if p in GRID and n), key=lambda pair: (-pair[1], pair[0]))
    return {
        "tiles": tiles,
        "rows": ROWS,
        "columns": COLUMNS,
        "legend": legend,
        "table": table,
        "other": other,
        "total": sum(counts.values()),
    }
