"""The question bank's workbook: one template, read by the project's import base (registry.imports) and written
by its one writer (registry.exports), so an exported bank imports again unchanged."""

from django.db import transaction
from django.utils.translation import gettext as _

from registry.exports import ExportWorkbook
from registry.imports import Column, SheetImport, cell_text

from .models import LETTERS, Question, QuestionKind, answer_problem

OPTION_KEYS = [f"option_{letter.lower()}" for letter in LETTERS]
COLUMNS = [
    Column("kind", "题型*", required=True, aliases=("type",)),
    Column("topic", "主题*", required=True, aliases=("topic",)),
    Column("text", "题干*", required=True, aliases=("question",)),
    *(
        Column(key, f"选项{letter}", aliases=(f"option {letter}",))
        for key, letter in zip(OPTION_KEYS, LETTERS, strict=True)
    ),
    Column("answer", "答案*", required=True, aliases=("answer",)),
]
KIND_LABELS = {QuestionKind.SINGLE: "单选", QuestionKind.MULTIPLE: "多选", QuestionKind.TRUE_FALSE: "判断"}
KINDS = {label: kind for kind, label in KIND_LABELS.items()} | {str(kind.label): kind for kind in QuestionKind}
#: 判断题 answers as people write them.
TRUE_FALSE_ANSWERS = {"对": "A", "正确": "A", "√": "A", "T": "A", "TRUE": "A", "错": "B", "错误": "B", "×": "B",
                      "F": "B", "FALSE": "B"}  # fmt: skip
NOTES = [
    "1. 只读取第一个工作表；第1行为标题。题型：单选、多选、判断。",
    "2. 选项A–F按顺序填写，单选、多选题至少两个选项；判断题不填选项。",
    "3. 答案填选项字母：单选如 B，多选如 ACD；判断题填 对 或 错。",
    "4. 主题用于按规则抽题（如：质量法规、质量管理方法）。与题库中题干相同的题目将被跳过。",
    "5. 每个文件最多2000题（.xlsx 或 .xls）。",
]


def template_workbook(questions=()):
    """The template, with ``questions`` as its rows (the export) or one example row."""
    workbook = ExportWorkbook()
    sheet = workbook.sheet(_("Questions"), [column.header for column in COLUMNS], widths=(8, 14, 50, *[18] * 6, 8))
    rows = [question_row(question) for question in questions] or [
        ["单选", "质量法规", "《产品质量法》规定，生产者应当对其生产的产品质量负责。该说法对应的责任主体是？",
         "销售者", "生产者", "检验机构", "", "", "", "B"],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    notes = workbook.sheet(_("Notes"), widths=(90,))
    for line in NOTES:
        notes.append([line])
    return workbook


def question_row(question):
    options = question.option_list() if question.kind != QuestionKind.TRUE_FALSE else []
    answer = question.answer
    if question.kind == QuestionKind.TRUE_FALSE:
        answer = "对" if answer == "A" else "错"
    return [KIND_LABELS[question.kind], question.topic, question.text,
            *(options + [""] * len(LETTERS))[: len(LETTERS)], answer]  # fmt: skip


class QuestionImport(SheetImport):
    columns = COLUMNS
    max_rows = 2000

    def __init__(self, organisation):
        super().__init__()
        self.organisation = organisation

    def run(self, data):
        """Add the workbook's new questions to the bank, all or none; returns (added, skipped) or raises
        WorkbookError; row problems are in ``errors``."""
        existing = set(Question.unscoped.filter(organisation=self.organisation).values_list("text", flat=True))
        new, skipped = [], 0
        for number, cells in self.rows(data):
            question = self.question(number, cells)
            if question is None:
                continue
            if question.text in existing:
                skipped += 1
                continue
            existing.add(question.text)
            new.append(question)
        if self.errors:
            return 0, 0
        with transaction.atomic():
            Question.unscoped.bulk_create(new)
        return len(new), skipped

    def question(self, number, cells):
        kind = KINDS.get(cell_text(cells["kind"]))
        if kind is None:
            self.fail(number, "kind", cells["kind"], _("Choose 单选, 多选 or 判断."))
            return None
        for key in ("topic", "text"):
            if not cell_text(cells[key]):
                self.fail(number, key, "", _("This column is required."))
        options = [cell_text(cells.get(key)) for key in OPTION_KEYS]
        while options and not options[-1]:
            options.pop()
        answer = cell_text(cells["answer"])
        if kind == QuestionKind.TRUE_FALSE:
            answer = TRUE_FALSE_ANSWERS.get(answer.upper(), answer)
            options = []
        elif "" in options:
            self.fail(number, OPTION_KEYS[options.index("")], "", _("Options must be filled in order, without gaps."))
            return None
        problem = answer_problem(kind, ["", ""] if kind == QuestionKind.TRUE_FALSE else options, answer)
        if isinstance(problem, tuple):
            key = "answer" if problem[0] == "answer" else "option_a"
            self.fail(number, key, cells["answer"] if key == "answer" else "", problem[1])
            return None
        if len(cell_text(cells["topic"])) > 64:
            self.fail(number, "topic", cells["topic"], _("At most 64 characters."))
            return None
        if not cell_text(cells["topic"]) or not cell_text(cells["text"]):
            return None
        return Question(
            organisation=self.organisation,
            kind=kind,
            topic=cell_text(cells["topic"]),
            text=cell_text(cells["text"]),
            options="\n".join(options),
            answer=problem,
        )
