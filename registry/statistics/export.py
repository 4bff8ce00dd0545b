"""xlsx exports of statistics: one sheet per figure, written by the project's one writer (registry.exports)."""

from ..exports import ExportWorkbook


def figures_workbook(figures, caption=""):
    """One sheet per figure, each headed by its column names; ``caption`` (the region) goes in A1 of each."""
    workbook = ExportWorkbook()
    for figure in figures:
        sheet = workbook.sheet(figure.title)
        if caption:
            sheet.append([f"{figure.title} — {caption}"], bold=True)
        sheet.append(figure.columns, bold=True)
        for row in figure.rows:
            sheet.append(row)
    return workbook
