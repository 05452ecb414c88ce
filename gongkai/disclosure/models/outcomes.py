"""The 22 outcomes of a request: the leaf rows 3–23 of the annual report's Table 三.

The value of each choice is the row's key in the report JSON (domain-rules §2.3), so the report
counts requests by `outcome` without a translation table.
"""

from __future__ import annotations

from django.db import models


class Outcome(models.TextChoices):
    GRANTED = "granted", "予以公开"
    PARTIAL = "partialGrant", "部分公开"
    STATE_SECRET = "denied.stateSecret", "不予公开：属于国家秘密"
    LAW_FORBIDDEN = "denied.lawForbidden", "不予公开：其他法律行政法规禁止公开"
    SAFETY_STABILITY = "denied.safetyStability", "不予公开：危及“三安全一稳定”"
    THIRD_PARTY = "denied.thirdParty", "不予公开：保护第三方合法权益"
    INTERNAL_AFFAIRS = "denied.internalAffairs", "不予公开：属于三类内部事务信息"
    PROCESS_INFO = "denied.processInfo", "不予公开：属于四类过程性信息"
    ENFORCEMENT_FILE = "denied.enforcementFile", "不予公开：属于行政执法案卷"
    ADMIN_QUERY = "denied.adminQuery", "不予公开：属于行政查询事项"
    NOT_HELD = "unable.notHeld", "无法提供：本机关不掌握相关政府信息"
    NEED_CREATION = "unable.needCreation", "无法提供：没有现成信息需要另行制作"
    UNCLEAR = "unable.unclearAfterCorrection", "无法提供：补正后申请内容仍不明确"
    PETITION = "notProcessed.petition", "不予处理：信访举报投诉类申请"
    REPEAT = "notProcessed.repeat", "不予处理：重复申请"
    PUBLICATION = "notProcessed.publication", "不予处理：要求提供公开出版物"
    MASSIVE = "notProcessed.massive", "不予处理：无正当理由大量反复申请"
    CONFIRM_REISSUE = (
        "notProcessed.confirmReissue",
        "不予处理：要求行政机关确认或重新出具已获取信息",
    )
    NO_CORRECTION = "other.noCorrection", "其他处理：申请人无正当理由逾期不补正"
    FEE_UNPAID = "other.feeUnpaid", "其他处理：申请人逾期未按收费通知要求缴纳费用"
    OTHER = "other.other", "其他处理：其他"


#: Outcomes decided without a reply on the substance: the request ends, no letter of Art. 36.
ENDED_WITHOUT_REPLY = (Outcome.NO_CORRECTION, Outcome.FEE_UNPAID)
