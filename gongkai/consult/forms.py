"""Forms of the staff pages and the public comment form. They check shapes and lengths only;
the rules live in actions (which the views call with the cleaned data)."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.consult.actions import MAX_COMMENT, MAX_CONTACT, MAX_NAME, CommentInput, DraftInput
from gongkai.consult.models import CommentChannel, Consultation, Outcome
from gongkai.units.models import Unit
from gongkai.web.widgets import DateInput

HONEYPOT = "website"
RICH_HELP = "可直接输入文字（空行分段），也可粘贴 HTML；脚本、样式和外部图片等会被自动去除。"


def _date(label: str, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式应为 年-月-日"},
    )


def _rich(label: str, rows: int = 10) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=RICH_HELP,
    )


class ConsultationForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="起草单位",
        queryset=Unit.objects.none(),
        empty_label="请选择",
        error_messages={"required": "请选择起草单位", "invalid_choice": "请选择起草单位"},
    )
    title = forms.CharField(label="标题", max_length=200, error_messages={"required": "请填写标题"})
    is_major_decision = forms.BooleanField(label="属于重大行政决策事项", required=False)
    draft = _rich("征求意见稿", 16)
    explanation = _rich("起草说明")
    interpretation = _rich("解读")
    accepts_online = forms.BooleanField(
        label="接受网上提交意见（门户网站意见征集页面的表单）", required=False, initial=True
    )
    email = forms.EmailField(
        label="接收意见的电子邮箱",
        required=False,
        max_length=254,
        error_messages={"invalid": "请填写有效的电子邮箱地址"},
    )
    postal_address = forms.CharField(label="接收意见的通信地址", required=False, max_length=300)
    opens_on = _date("征求意见开始日期")
    closes_on = _date("征求意见截止日期")
    short_reason = forms.CharField(
        label="征求意见期少于30日的理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="征求意见期一般不少于30日（开始、截止两日均计入）；确需缩短的，须写明理由，理由随征求意见稿一并公开。",
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units

    @classmethod
    def initial_of(cls, c: Consultation) -> dict[str, Any]:
        return {
            "unit": c.unit_id,
            "title": c.title,
            "is_major_decision": c.is_major_decision,
            "draft": c.draft_html,
            "explanation": c.explanation_html,
            "interpretation": c.interpretation_html,
            "accepts_online": c.accepts_online,
            "email": c.email,
            "postal_address": c.postal_address,
            "opens_on": c.opens_on,
            "closes_on": c.closes_on,
            "short_reason": c.short_reason,
        }

    def to_input(self) -> DraftInput:
        d = self.cleaned_data
        return DraftInput(
            unit=d["unit"],
            title=d["title"],
            draft=d["draft"],
            explanation=d["explanation"],
            interpretation=d["interpretation"],
            accepts_online=d["accepts_online"],
            email=d["email"],
            postal_address=d["postal_address"],
            opens_on=d["opens_on"],
            closes_on=d["closes_on"],
            short_reason=d["short_reason"],
            is_major_decision=d["is_major_decision"],
        )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="附件",
        help_text="PDF、Word（docx）、Excel（xlsx）、JPG 或 PNG。",
        error_messages={"required": "请选择文件", "empty": "文件是空的"},
    )


class PublishForm(forms.Form):
    privacy_override = forms.CharField(
        label="个人信息检查放行理由",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="只在检查发现个人信息、且核实后确认可以公开时填写（如单位办公电话被误识别）。",
    )


class ExtendForm(forms.Form):
    closes_on = _date("新的截止日期", required=True)
    reason = forms.CharField(
        label="延长理由", max_length=2000, error_messages={"required": "请填写延长理由"}
    )


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结果",
        choices=[("approve", "公开"), ("reject", "不予公开")],
        error_messages={"required": "请选择审核结果", "invalid_choice": "请选择审核结果"},
    )
    reason = forms.CharField(label="不予公开的理由", required=False, max_length=300)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="采纳情况",
        choices=[("", "请选择"), *Outcome.choices],
        error_messages={"required": "请选择采纳情况", "invalid_choice": "请选择采纳情况"},
    )
    reason = forms.CharField(
        label="理由",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="部分采纳、未采纳的须说明理由。",
    )
    topic = forms.CharField(label="议题（可选）", required=False, max_length=64)


class RecordCommentForm(forms.Form):
    channel = forms.ChoiceField(
        label="来源",
        choices=[(c.value, c.label) for c in CommentChannel if c != CommentChannel.ONLINE],
        error_messages={"required": "请选择来源", "invalid_choice": "请选择来源"},
    )
    received_on = _date("收到日期", required=True)
    name = forms.CharField(label="姓名或称呼（可选）", required=False, max_length=MAX_NAME)
    contact = forms.CharField(
        label="联系方式", max_length=MAX_CONTACT, error_messages={"required": "请填写联系方式"}
    )
    body = forms.CharField(
        label="意见内容",
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "请填写意见内容"},
    )

    def to_input(self) -> CommentInput:
        d = self.cleaned_data
        return CommentInput(body=d["body"], contact=d["contact"], name=d["name"])


class ReportForm(forms.Form):
    summary = forms.CharField(
        label="总体情况说明",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="说明征求意见的总体情况、意见的主要内容和采纳情况；各条意见及理由由系统按采纳情况分组列出。",
        error_messages={"required": "请填写总体情况说明"},
    )


class DecisionForm(forms.Form):
    index_number = forms.CharField(
        label="决策文件的索引号",
        required=False,
        max_length=128,
        help_text="已在政府信息公开栏目发布的决策文件；留空则取消关联。",
    )


class CommentForm(forms.Form):
    """The public's comment. `website` is a trap for robots: hidden from people."""

    name = forms.CharField(
        label="姓名或称呼（可选）",
        required=False,
        max_length=MAX_NAME,
        help_text="填写后将随意见一同公开显示；不填则显示为“网友”。",
    )
    contact = forms.CharField(
        label="联系方式",
        max_length=MAX_CONTACT,
        help_text="电话、电子邮箱或通信地址，便于我们与您联系；不会公开。",
        error_messages={"required": "请填写联系方式"},
    )
    body = forms.CharField(
        label="意见内容",
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"不超过 {MAX_COMMENT} 字。意见经审核后公开显示，"
        "其中的身份证号码、手机号码等个人信息会被自动遮盖。",
        error_messages={"required": "请填写意见内容"},
    )
    website = forms.CharField(required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["body"].error_messages["max_length"] = (
            f"意见内容不能超过 {MAX_COMMENT} 字（现为 %(show_value)d 字）"
        )

    @property
    def honeypot_filled(self) -> bool:
        return bool(str(self.data.get(HONEYPOT, "")).strip())

    def to_input(self) -> CommentInput:
        d = self.cleaned_data
        return CommentInput(body=d["body"], contact=d["contact"], name=d["name"])
