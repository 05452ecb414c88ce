"""Forms of the document register's staff pages: the document itself, the acts on its page
(review, privacy gate, publication, withdrawal, validity), the yearly cleanup, the catalogue
tree and the review policy. They check input only; every change goes through actions.py (or,
for the catalogue and the policy, the small audited helpers in views/catalogue.py and
views/policy.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from gongkai.files.fields import MultipleFileField, MultipleFileInput
from gongkai.publishing.models import (
    POLICY_KINDS,
    Category,
    CleanupOutcome,
    DocKind,
    Document,
    DocumentAttachment,
    Validity,
)
from gongkai.publishing.sanitize import MAX_HTML, clean_html, text_to_html
from gongkai.units.models import Unit
from gongkai.web.widgets import DateInput

#: How many policy documents the 解读对象 list shows (newest first); any visible one is
#: accepted, so an older one chosen before stays valid.
INTERPRETS_CHOICES = 300
ACCEPTED_FILES = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"
MAX_ATTACHMENTS = 20


def _required(label: str) -> dict[str, str]:
    return {"required": f"请填写{label}"}


def date_field(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"required": f"请填写{label}", "invalid": "日期格式应为 YYYY-MM-DD"},
    )


def text_field(label: str, *, required: bool = True, rows: int = 0, max_length: int = 300) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else None,
        error_messages={
            **_required(label),
            "max_length": f"{label}最多 {max_length} 个字",
        },
    )


# -- the catalogue tree -------------------------------------------------------------------------


def category_rows(*, active_only: bool = False) -> list[tuple[Category, int]]:
    """Every catalogue node in tree order (parents before their children, siblings by
    position), each with its depth. An inactive node hides its subtree when active_only."""
    nodes = list(Category.objects.order_by("position", "pk"))
    children: dict[int | None, list[Category]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    rows: list[tuple[Category, int]] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for node in children.get(parent, []):
            if node.pk in seen or (active_only and not node.active):
                continue
            seen.add(node.pk)
            rows.append((node, depth))
            walk(node.pk, depth + 1)

    walk(None, 0)
    return rows


class CategoryChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A catalogue node, listed as an indented tree."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.depths: dict[int, int] = {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        suffix = "" if obj.active else "（已停用）"
        return "\u3000" * self.depths.get(obj.pk, 0) + str(obj) + suffix


def _tree_choices(field: CategoryChoiceField, rows: list[tuple[Category, int]]) -> None:
    field.depths = {c.pk: depth for c, depth in rows}
    order = [c.pk for c, _ in rows]
    field.queryset = Category.objects.filter(pk__in=order)
    field.choices = [("", "（不选）")] + [(c.pk, field.label_from_instance(c)) for c, _ in rows]


# -- a document -------------------------------------------------------------------------------


BODY_HELP = (
    "可直接粘贴 HTML（如从编辑器复制的正文）。保存时在服务器上清理：只保留段落、标题、列表、"
    "表格、加粗、换行和 http(s)/mailto 链接，脚本、样式、事件属性（如 onerror）、"
    "javascript: 链接、图片和外部资源一律删除。勾选下方“纯文本”则按纯文本保存，空行分段。"
)


class DocumentForm(forms.Form):
    """Create (with `units`) or edit (without) a document. `cleaned_data` is turned into the
    keyword arguments of actions.create_document / update_document by `fields()`."""

    unit = forms.ModelChoiceField(
        label="责任单位",
        queryset=Unit.objects.none(),
        error_messages={"required": "请选择责任单位", "invalid_choice": "请选择责任单位"},
    )
    kind = forms.ChoiceField(
        label="类别", choices=DocKind.choices, error_messages={"required": "请选择类别"}
    )
    category = CategoryChoiceField(
        label="公开目录（主动公开基本目录）",
        queryset=Category.objects.none(),
        required=False,
        error_messages={"invalid_choice": "请从目录中选择"},
    )
    title = text_field("标题", max_length=300)
    body = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "body"}),
        help_text=BODY_HELP,
        max_length=MAX_HTML,
        error_messages={"max_length": f"正文过长（最多 {MAX_HTML} 个字符）"},
    )
    plain_text = forms.BooleanField(label="纯文本（按段落保存，不作为 HTML 解读）", required=False)
    doc_number = text_field("文号", required=False, max_length=100)
    written_on = date_field("成文日期", required=False)
    publisher = text_field("发布机构（不填则为责任单位名称）", required=False, max_length=128)
    topic = text_field("主题分类", required=False, max_length=64)
    is_repost = forms.BooleanField(label="转载（须注明来源）", required=False)
    source = text_field("来源", required=False, max_length=200)
    source_url = forms.URLField(
        label="来源网址",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "来源网址格式不正确"},
    )
    needs_interpretation = forms.BooleanField(
        label="需要解读（发布后开始计算解读发布期限）", required=False
    )
    interprets = forms.ModelChoiceField(
        label="解读对象（类别为政策解读时必选）",
        queryset=Document.objects.none(),
        required=False,
        error_messages={"invalid_choice": "请从列表中选择解读对象"},
    )
    attachments = MultipleFileField(
        label="附件（pdf、docx、xlsx、jpg、png，可多选；上传后自动进行隐私检查）",
        required=False,
        max_files=MAX_ATTACHMENTS,
        widget=MultipleFileInput(attrs={"accept": ACCEPTED_FILES}),
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit] | None = None,
        policy_documents: QuerySet[Document] | None = None,
        document: Document | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.document = document
        if units is None:
            del self.fields["unit"]
        else:
            unit_field = self.fields["unit"]
            assert isinstance(unit_field, forms.ModelChoiceField)
            unit_field.queryset = units
        rows = category_rows(active_only=True)
        if document is not None and document.category_id is not None:
            known = {c.pk for c, _ in rows}
            if document.category_id not in known and document.category is not None:
                rows.append((document.category, 0))  # keep a now inactive category chosen
        category = self.fields["category"]
        assert isinstance(category, CategoryChoiceField)
        _tree_choices(category, rows)
        interprets = self.fields["interprets"]
        assert isinstance(interprets, forms.ModelChoiceField)
        if policy_documents is not None:
            if document is not None:
                policy_documents = policy_documents.exclude(pk=document.pk)
            interprets.queryset = policy_documents
            shown = list(policy_documents.order_by("-pk")[:INTERPRETS_CHOICES])
            current = document.interprets if document is not None else None
            if current is not None and current not in shown:
                shown.append(current)
            interprets.widget.choices = [("", "（不选）")] + [
                (d.pk, _document_label(d)) for d in shown
            ]

    def clean_body(self) -> str:
        return str(self.cleaned_data.get("body") or "")

    def clean(self) -> dict[str, Any]:
        c = super().clean() or {}
        body = c.get("body") or ""
        # Sanitised here as well as in the action: what is stored and later shown with |safe
        # must never depend on one layer alone.
        c["body_html"] = text_to_html(body) if c.get("plain_text") else clean_html(body)
        if len(c["body_html"]) > MAX_HTML:
            self.add_error("body", f"正文过长（最多 {MAX_HTML} 个字符）")
        kind = c.get("kind")
        if c.get("is_repost") and not (c.get("source") or "").strip():
            self.add_error("source", "转载的信息须注明来源")
        if not c.get("is_repost") and c.get("source_url"):
            self.add_error("source_url", "只有转载的信息填写来源网址")
        if kind == DocKind.INTERPRETATION:
            if c.get("interprets") is None and "interprets" not in self.errors:
                self.add_error("interprets", "政策解读须选择所解读的政策文件")
        elif c.get("interprets") is not None:
            self.add_error("interprets", "只有类别为政策解读的信息选择解读对象")
        if c.get("needs_interpretation") and kind not in POLICY_KINDS:
            self.add_error(
                "needs_interpretation", "只有规章、行政规范性文件和其他政策文件标记需要解读"
            )
        return c

    def fields_for_action(self) -> dict[str, Any]:
        """The editable fields as the actions take them."""
        c = self.cleaned_data
        publisher = (c.get("publisher") or "").strip()
        if not publisher:
            unit = c.get("unit") if "unit" in c else None
            owner = unit if unit is not None else (self.document.unit if self.document else None)
            publisher = owner.name if owner is not None else ""
        return {
            "kind": c["kind"],
            "category": c.get("category"),
            "topic": c.get("topic") or "",
            "title": c["title"].strip(),
            "body_html": c["body_html"],
            "doc_number": c.get("doc_number") or "",
            "written_on": c.get("written_on"),
            "publisher": publisher,
            "is_repost": bool(c.get("is_repost")),
            "source": (c.get("source") or "").strip() if c.get("is_repost") else "",
            "source_url": (c.get("source_url") or "") if c.get("is_repost") else "",
            "needs_interpretation": bool(c.get("needs_interpretation")),
            "interprets": c.get("interprets"),
        }

    @classmethod
    def initial_of(cls, d: Document) -> dict[str, Any]:
        return {
            "kind": d.kind,
            "category": d.category_id,
            "title": d.title,
            "body": d.body_html,
            "doc_number": d.doc_number,
            "written_on": d.written_on,
            "publisher": d.publisher,
            "topic": d.topic,
            "is_repost": d.is_repost,
            "source": d.source,
            "source_url": d.source_url,
            "needs_interpretation": d.needs_interpretation,
            "interprets": d.interprets_id,
        }


def _document_label(d: Document) -> str:
    number = f"〔{d.doc_number}〕" if d.doc_number else ""
    return f"{d.title}{number}（{d.get_state_display()}）"


class AttachmentsForm(forms.Form):
    attachments = MultipleFileField(
        label="添加附件（pdf、docx、xlsx、jpg、png，可多选）",
        max_files=MAX_ATTACHMENTS,
        widget=MultipleFileInput(attrs={"accept": ACCEPTED_FILES}),
        error_messages={"required": "请选择要上传的文件"},
    )


# -- the acts on a document's page ------------------------------------------------------------


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结论",
        choices=[("approve", "通过"), ("return", "退回修改")],
        error_messages={"required": "请选择审核结论", "invalid_choice": "请选择审核结论"},
    )
    comment = text_field("审核意见（退回时必填）", required=False, rows=3, max_length=2000)

    def clean(self) -> dict[str, Any]:
        c = super().clean() or {}
        c["comment"] = (c.get("comment") or "").strip()
        if c.get("decision") == "return" and not c["comment"]:
            self.add_error("comment", "退回时请填写审核意见，说明需要修改的地方")
        return c


class RedactForm(forms.Form):
    attachment = forms.IntegerField(required=False, min_value=1)


class OverrideForm(forms.Form):
    check = forms.IntegerField(min_value=1, error_messages={"required": "缺少要确认的检查"})
    reason = text_field("确认可发布的理由", rows=2, max_length=2000)


class PublishForm(forms.Form):
    published_on = date_field("发布日期")

    def clean_published_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["published_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("发布日期不能晚于今天")
        return day


class WithdrawForm(forms.Form):
    reason = text_field("撤回理由", rows=2, max_length=300)


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(label="有效性", choices=Validity.choices)
    effective_on = date_field("生效日期")
    changed_by = text_field("变更依据文件的索引号（可不填）", required=False, max_length=128)
    reason = text_field("说明", required=False, max_length=300)

    def __init__(self, *args: Any, documents: QuerySet[Document] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.documents = documents if documents is not None else Document.objects.none()

    def clean_changed_by(self) -> Document | None:
        number = (self.cleaned_data.get("changed_by") or "").strip()
        if not number:
            return None
        found = self.documents.filter(index_number=number).first()
        if found is None:
            raise forms.ValidationError(f"没有找到索引号为 {number} 的已发布文件")
        return found


def attachment_redactable(attachment: DocumentAttachment) -> bool:
    """Whether one-click masking can rewrite the file (Office files; a PDF must be replaced)."""
    return attachment.file_type in ("docx", "xlsx")


# -- the yearly cleanup -----------------------------------------------------------------------


class CleanupForm(forms.Form):
    year = forms.IntegerField(
        label="年度",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "请填写年度",
            "invalid": "年度应为数字",
            "min_value": "年度应在 2000 至 2100 之间",
            "max_value": "年度应在 2000 至 2100 之间",
        },
    )
    title = text_field("标题", max_length=200)
    note = text_field("说明", required=False, rows=3, max_length=5000)


class CleanupItemForm(forms.Form):
    document = forms.IntegerField(min_value=1, error_messages={"required": "请选择文件"})
    outcome = forms.ChoiceField(
        label="清理结果", choices=CleanupOutcome.choices, error_messages={"required": "请选择结果"}
    )
    note = text_field("说明", required=False, max_length=300)


class CleanupPublishForm(forms.Form):
    effective_on = date_field("清理结果生效日期")


# -- the catalogue tree and the review policy -------------------------------------------------


class CategoryForm(forms.Form):
    name = text_field("名称", max_length=128)
    code = text_field("目录编码", required=False, max_length=32)
    description = text_field("说明", required=False, rows=2, max_length=2000)


class CategoryMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "上移"), ("down", "下移")])


class CategoryActiveForm(forms.Form):
    active = forms.BooleanField(required=False)
