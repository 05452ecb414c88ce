"""The acts on a request, one form each (`STEPS`, keyed by the slug in its URL).

The form checks the input and `run` calls the one action in gongkai.disclosure.actions that does
the work. The API validates its JSON with the same forms, so a page and a script are refused for
the same reasons.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from gongkai.clocks import DELIVERY_LABELS, MAX_EXTENSION_WORKDAYS, Consulted, Delivery
from gongkai.disclosure import actions
from gongkai.disclosure.forms import DayField, text_field
from gongkai.disclosure.models import FeeMethod, Outcome, Request
from gongkai.units.models import Unit


class StepForm(forms.Form):
    """One act on a request: a label for the page, and `run`, which calls the action."""

    title: ClassVar[str] = ""
    button: ClassVar[str] = "提交"
    office_only: ClassVar[bool] = False

    def run(self, user: Any, request: Request) -> str:
        """Do the act; the success message."""
        raise NotImplementedError


class ConfirmReceiptForm(StepForm):
    title = "确认收到申请"
    button = "确认收到"
    confirmed_on = DayField("双方确认日期", required=False)
    contact_restored_on = DayField("恢复联系日期", required=False)

    def clean(self) -> dict[str, Any]:
        c = super().clean() or {}
        if not self.errors and not (c.get("confirmed_on") or c.get("contact_restored_on")):
            raise forms.ValidationError("请填写双方确认日期或恢复联系日期")
        return c

    def run(self, user: Any, request: Request) -> str:
        c = self.cleaned_data
        actions.confirm_receipt(
            user,
            request,
            confirmed_on=c["confirmed_on"],
            contact_restored_on=c["contact_restored_on"],
        )
        return "已确认收到申请，答复期限开始计算"


class VoidForm(StepForm):
    title = "作废（无法确认收到）"
    button = "作废"
    reason = text_field("理由（如无法联系申请人、并非信息公开申请）")

    def run(self, user: Any, request: Request) -> str:
        actions.void_unconfirmed(user, request, self.cleaned_data["reason"])
        return "已作废：该申请未确认收到，不计入年度报告"


class CorrectionNoticeForm(StepForm):
    title = "发出补正通知（一次性告知）"
    button = "登记补正通知"
    date = DayField("补正通知日期")
    correct_by = DayField("补正期限", past=False)
    note = text_field("需要补正的内容", required=False, rows=3)

    def run(self, user: Any, request: Request) -> str:
        c = self.cleaned_data
        actions.request_correction(user, request, c["date"], c["correct_by"], c["note"])
        return "已登记补正通知，答复期限停止计算，收到补正后重新起算"


class CorrectionReceivedForm(StepForm):
    title = "收到补正"
    button = "登记收到补正"
    date = DayField("收到补正日期")
    note = text_field("说明", required=False)

    def run(self, user: Any, request: Request) -> str:
        c = self.cleaned_data
        actions.receive_correction(user, request, c["date"], c["note"])
        return "已登记收到补正，答复期限重新计算"


class CorrectionLapsedForm(StepForm):
    title = "逾期未补正"
    button = "按逾期未补正办结"
    date = DayField("日期")
    note = text_field("说明", required=False)

    def run(self, user: Any, request: Request) -> str:
        c = self.cleaned_data
        actions.correction_lapsed(user, request, c["date"], c["note"])
        return "申请人逾期未补正，已按「其他处理」办结"


class ConsultationStartForm(StepForm):
    title = "征求第三方或其他机关意见"
    button = "登记征求意见"
    date = DayField("发出征求意见书日期")
    party = forms.ChoiceField(
        label="征求对象",
        choices=[(Consulted.THIRD_PARTY.value, "第三方"), (Consulted.ORGAN.value, "其他机关")],
    )
    name = text_field("第三方或机关名称", max_length=200)
    letter_received = DayField("对方收到征求意见书日期", required=False)
    note = text_field("说明", required=False)

    def run(self, user: Any, request: Request) -> str:
        c = self.cleaned_data
        actions.start_consultation(
            user,
            request,
            c["date"],
            party=Consulted(c["party"]),
            name=c["name"],
            letter_received=c["letter_received"],
            note=c["note"],
        )
        return "已登记征求意见，征求意见期间答复期限暂停"


class ConsultationEndForm(StepForm):
    title = "结束征求意见"
    button = "登记"
    date = DayField("日期")
    result = forms.ChoiceField(
        label="结果", choices=[("answered", "对方已答复"), ("lapsed", "对方逾期未答复")]
    )
    note = text_field("说明", required=False)

    def run(self, user: Any, request: Request) -> str:
        c = self.cleaned_data
        actions.end_consultation(
            user, request, c["date"], answered=c["result"] == "answered", note=c["note"]
        )
        return "征求意见已结束，答复期限恢复计算"


class ExtendForm(StepForm):
    title = "延期答复（公开办负责人批准）"
    button = "登记延期"
    office_only = True
    date = DayField("批准日期")
    approver = text_field("批准人（政府信息公开工作机构负责人）", max_length=64)
    notified = DayField("告知申请人日期")
    workdays = forms.IntegerField(
        label="延长工作日数",
        min_value=1,
        max_value=MAX_EXTENSION_WORKDAYS,
        initial=MAX_EXTENSION_WORKDAYS,
        error_messages={
            "required": "请填写延长工作日数",
            "min_value": f"延长期限应为 1 至 {MAX_EXTENSION_WORKDAYS} 个工作日",
            "max_value": f"延长期限应为 1 至 {MAX_EXTENSION_WORKDAYS} 个工作日",
            "invalid": "请填写整数",
        },
    )
    note = text_field("说明", required=False)

    def run(self, user: Any, request: Request) -> str:
        c = self.cleaned_data
        actions.extend(
            user,
            request,
            c["date"],
            approver=c["approver"],
            notified=c["notified"],
            workdays=c["workdays"],
            note=c["note"],
        )
        return f"已延期 {c['workdays']} 个工作日"


class FeeNoticeForm(StepForm):
    title = "发出信息处理费缴费通知"
    button = "登记收费通知"
    date = DayField("收费通知日期")
    method = forms.ChoiceField(
        label="收费方式",
        choices=[(m.value, m.label) for m in (FeeMethod.PER_REQUEST, FeeMethod.PER_PAGE)],
    )
    pages = forms.IntegerField(label="页数（按量计收时填写）", required=False, min_value=1)
    pay_by = DayField("缴费期限", past=False)

    def run(self, user: Any, request: Request) -> str:
        c = self.cleaned_data
        done = actions.issue_fee_notice(
            user,
            request,
            c["date"],
            method=FeeMethod(c["method"]),
            pay_by=c["pay_by"],
            pages=c["pages"],
        )
        return f"已登记收费通知，金额 {done.fee_amount} 元"


class FeePaidForm(StepForm):
    title = "申请人已缴费"
    button = "登记缴费"
    date = DayField("缴费日期")

    def run(self, user: Any, request: Request) -> str:
        actions.fee_paid(user, request, self.cleaned_data["date"])
        return "已登记缴费"


class FeeLapsedForm(StepForm):
    title = "逾期未缴费"
    button = "按逾期未缴费办结"
    date = DayField("日期")

    def run(self, user: Any, request: Request) -> str:
        actions.fee_lapsed(user, request, self.cleaned_data["date"])
        return "申请人逾期未缴费，已按「其他处理」办结"


class SubmitReplyForm(StepForm):
    title = "报送答复意见（公开办审核）"
    button = "报送审核"
    outcome = forms.ChoiceField(label="拟办理结果", choices=[("", "（请选择）"), *Outcome.choices])
    separated = forms.BooleanField(label="区分处理（部分公开，条例第三十七条）", required=False)
    draft = text_field("答复意见（草稿）", rows=6)
    reasons = text_field("理由和依据", required=False, rows=3)

    def run(self, user: Any, request: Request) -> str:
        c = self.cleaned_data
        review = actions.submit_reply(
            user,
            request,
            outcome=c["outcome"],
            draft=c["draft"],
            reasons=c["reasons"],
            separated=c["separated"],
        )
        due = f"，审核期限 {review.due_on.isoformat()}" if review.due_on else ""
        return f"答复意见已报送公开办审核{due}"


class AnswerForm(StepForm):
    title = "答复（按审核通过的意见）"
    button = "登记答复"
    date = DayField("答复日期")
    note = text_field("说明", required=False)

    def run(self, user: Any, request: Request) -> str:
        c = self.cleaned_data
        actions.answer(user, request, c["date"], c["note"])
        return "已登记答复，请登记送达"


class OnTheSpotForm(StepForm):
    title = "当场答复"
    button = "登记当场答复并办结"
    outcome = forms.ChoiceField(label="办理结果", choices=[("", "（请选择）"), *Outcome.choices])
    separated = forms.BooleanField(label="区分处理（部分公开）", required=False)
    reasons = text_field("理由和依据", required=False, rows=3)

    def run(self, user: Any, request: Request) -> str:
        c = self.cleaned_data
        actions.answer_on_the_spot(
            user, request, outcome=c["outcome"], reasons=c["reasons"], separated=c["separated"]
        )
        return "已当场答复并办结"


class DeliverForm(StepForm):
    title = "送达"
    button = "登记送达"
    date = DayField("送达日期（签收日或交邮之日）")
    method = forms.ChoiceField(label="送达方式", choices=list(DELIVERY_LABELS.items()))
    note = text_field("说明（如邮件号码）", required=False)

    def run(self, user: Any, request: Request) -> str:
        c = self.cleaned_data
        method = Delivery(c["method"])
        actions.deliver(user, request, c["date"], method, c["note"])
        if method == Delivery.OTHER_COURIER:
            return "已登记，但交其他快递寄出不是有效送达，请交邮政企业或由申请人签收后重新送达"
        return "已登记送达"


class CloseForm(StepForm):
    title = "办结归档"
    button = "办结归档"
    comment = text_field("说明", required=False)

    def run(self, user: Any, request: Request) -> str:
        actions.close(user, request, self.cleaned_data["comment"])
        return "已办结归档"


class TransferForm(StepForm):
    title = "转办其他单位"
    button = "转办"
    office_only = True
    to_unit = forms.ModelChoiceField(
        label="转办至",
        queryset=Unit.objects.active().order_by("name"),
        error_messages={"required": "请选择单位", "invalid_choice": "请选择单位"},
    )
    reason = text_field("理由")

    def run(self, user: Any, request: Request) -> str:
        c = self.cleaned_data
        actions.transfer(user, request, c["to_unit"], c["reason"])
        return f"已转办至「{c['to_unit'].name}」"


class ReturnForm(StepForm):
    title = "退回转办单位"
    button = "退回"
    reason = text_field("理由")

    def run(self, user: Any, request: Request) -> str:
        done = actions.return_request(user, request, self.cleaned_data["reason"])
        return f"已退回「{done.unit.name}」"


#: slug → form: one URL under /disclosure/<pk>/ and one API event kind each.
STEPS: dict[str, type[StepForm]] = {
    "confirm": ConfirmReceiptForm,
    "void": VoidForm,
    "correction": CorrectionNoticeForm,
    "corrected": CorrectionReceivedForm,
    "correction-lapsed": CorrectionLapsedForm,
    "consult": ConsultationStartForm,
    "consult-end": ConsultationEndForm,
    "extend": ExtendForm,
    "fee-notice": FeeNoticeForm,
    "fee-paid": FeePaidForm,
    "fee-lapsed": FeeLapsedForm,
    "submit": SubmitReplyForm,
    "answer": AnswerForm,
    "on-the-spot": OnTheSpotForm,
    "deliver": DeliverForm,
    "close": CloseForm,
    "transfer": TransferForm,
    "return": ReturnForm,
}
