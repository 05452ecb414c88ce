"""The built-in texts of the letters, used until the office edits a template.

One reply (答复书) per outcome — the 21 leaf rows of Table 三 — and one text each for the
correction notice (Art. 30), the extension notice (Art. 33), the consultation letter to a third
party (Art. 32) and the fee notice (国办函〔2020〕109号). Bodies are plain text with
{placeholders} (listed in letters.py); each line becomes one paragraph of the letter.

Articles cited are those of 《中华人民共和国政府信息公开条例》 (国务院令第711号), domain-rules
§1.2, §1.4 and §1.5. Where the 条例 has no article of its own for a case, `note` says so and
the template page shows it to the office.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.disclosure.models import LetterKind, Outcome

REG = "《中华人民共和国政府信息公开条例》"
FEE_RULES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
REPLY_TITLE = "政府信息公开申请答复书"

#: How every reply opens: when the request came and what it asked for.
OPENING = (
    "本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}），"
    "申请获取“{申请内容}”的政府信息。"
)

#: Every reply ends by telling the applicant how to challenge it.
REMEDY = (
    "如对本答复不服，您可以自收到本答复书之日起六十日内依法申请行政复议，"
    "或者自收到本答复书之日起六个月内依法向人民法院提起行政诉讼。"
)


@dataclass(frozen=True)
class DefaultText:
    title: str
    body: str
    basis: str
    #: A word to the office about this text, shown on the template page, never in a letter.
    note: str = ""


def _reply(*middle: str, basis: str, note: str = "") -> DefaultText:
    return DefaultText(REPLY_TITLE, "\n".join([OPENING, *middle, REMEDY]), basis, note)


def _withheld(ground: str, article: str) -> DefaultText:
    """A 不予公开 reply: the ground, the article it rests on, and the case's own reasons."""
    return _reply(
        f"经审查，您所申请获取的政府信息{ground}，根据{REG}{article}和第三十六条第（三）项的规定，"
        "本机关决定不予公开。",
        "具体理由如下：{理由}",
        basis=f"{REG}{article}、第三十六条第（三）项",
    )


REPLIES: dict[Outcome, DefaultText] = {
    Outcome.GRANTED: _reply(
        "经审查，您所申请获取的政府信息属于可以公开的政府信息，根据"
        f"{REG}第三十六条第（二）项的规定，本机关决定予以公开。",
        "现随本答复书向您提供该政府信息。如所提供的信息需通过其他方式、途径获取，"
        "本机关将另行告知获取的方式、途径和时间。",
        basis=f"{REG}第三十六条第（二）项",
    ),
    Outcome.PARTIAL: _reply(
        "经审查，您所申请获取的政府信息中含有不应当公开或者不属于政府信息的内容，"
        "但能够作区分处理。根据" + REG + "第三十六条第（二）项、第（三）项和第三十七条的规定，"
        "本机关向您提供可以公开的部分，对其余部分不予公开。",
        "不予公开部分的内容及理由如下：{理由}",
        basis=f"{REG}第三十六条第（二）项和第（三）项、第三十七条",
    ),
    Outcome.STATE_SECRET: _withheld("属于国家秘密", "第十四条"),
    Outcome.LAW_FORBIDDEN: _withheld("属于法律、行政法规禁止公开的政府信息", "第十四条"),
    Outcome.SAFETY_STABILITY: _withheld(
        "公开后可能危及国家安全、公共安全、经济安全、社会稳定", "第十四条"
    ),
    Outcome.THIRD_PARTY: _reply(
        "经审查，您所申请获取的政府信息涉及商业秘密、个人隐私等公开后可能损害第三方合法权益的内容。"
        "本机关已依法书面征求第三方意见，第三方不同意公开且理由合理，"
        f"根据{REG}第十五条、第三十二条和第三十六条第（三）项的规定，本机关决定不予公开。",
        "具体理由如下：{理由}",
        basis=f"{REG}第十五条、第三十二条、第三十六条第（三）项",
        note="如本案未征求第三方意见（例如直接依第十五条认定），请修改第二段的表述。",
    ),
    Outcome.INTERNAL_AFFAIRS: _withheld(
        "属于行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等方面的信息）",
        "第十六条第一款",
    ),
    Outcome.PROCESS_INFO: _withheld(
        "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息",
        "第十六条第二款",
    ),
    Outcome.ENFORCEMENT_FILE: _withheld("属于行政执法案卷信息", "第十六条第二款"),
    Outcome.ADMIN_QUERY: _reply(
        "经审查，您所申请获取的信息属于工商、不动产登记资料等查询事项，有关法律、行政法规对"
        f"该类信息的获取有特别规定。根据{REG}第三十六条第（七）项的规定，"
        "请您按照有关法律、行政法规的规定办理。",
        "具体查询途径如下：{理由}",
        basis=f"{REG}第三十六条第（七）项",
    ),
    Outcome.NOT_HELD: _reply(
        "经本机关检索查找，本机关未制作或者获取您所申请的政府信息，该政府信息不存在。"
        f"根据{REG}第三十六条第（四）项的规定，特此告知。",
        "检索情况说明：{理由}",
        basis=f"{REG}第三十六条第（四）项",
        note="如该信息不属于本机关负责公开、但能确定负责公开的机关，"
        "属于第三十六条第（五）项情形，请在理由中写明该机关的名称和联系方式，并相应修改依据。",
    ),
    Outcome.NEED_CREATION: _reply(
        "经审查，本机关没有现成的您所申请的政府信息，提供该信息需要本机关对现有政府信息"
        f"进行加工、分析。根据{REG}第三十八条的规定，本机关不予提供。",
        "具体说明：{理由}",
        basis=f"{REG}第三十八条",
    ),
    Outcome.UNCLEAR: _reply(
        "本机关已书面告知您需要补正的事项和补正期限。经审查，您补正后的申请内容仍不明确，"
        f"本机关无法确定您所申请获取的政府信息。根据{REG}第三十条的规定，本机关无法向您提供。",
        "具体说明：{理由}",
        "您可以在明确所需政府信息的名称、文号或者便于查询的其他特征性描述后重新提出申请。",
        basis=f"{REG}第三十条",
    ),
    Outcome.PETITION: _reply(
        "经审查，您以政府信息公开申请的形式进行信访、投诉、举报，根据"
        f"{REG}第三十九条第一款的规定，本机关不作为政府信息公开申请处理。",
        "您可以通过以下渠道反映有关诉求：{理由}",
        basis=f"{REG}第三十九条第一款",
    ),
    Outcome.REPEAT: _reply(
        "经审查，您此前已就相同的政府信息向本机关提出过公开申请，本机关已经依法作出答复。"
        f"您重复申请公开相同的政府信息，根据{REG}第三十六条第（六）项的规定，"
        "本机关不予重复处理。",
        "此前的申请及答复情况：{理由}",
        basis=f"{REG}第三十六条第（六）项",
    ),
    Outcome.PUBLICATION: _reply(
        "经审查，您所申请获取的是政府公报、报刊、书籍等公开出版物。根据"
        f"{REG}第三十九条第二款的规定，请您通过以下途径获取：{{理由}}",
        basis=f"{REG}第三十九条第二款",
    ),
    Outcome.MASSIVE: _reply(
        "经审查，您申请公开政府信息的数量、频次明显超过合理范围。本机关已要求您说明理由，"
        f"经审核，您说明的理由不合理。根据{REG}第三十五条的规定，本机关对您的申请不予处理。",
        "具体说明：{理由}",
        basis=f"{REG}第三十五条",
    ),
    Outcome.CONFIRM_REISSUE: _reply(
        "经审查，您的申请实质上是要求本机关对您已经获取的信息进行确认或者重新出具，"
        f"并非申请获取本机关制作或者获取的政府信息，不属于{REG}第二条所称的政府信息公开申请，"
        "本机关不作为政府信息公开申请处理。",
        "具体说明：{理由}",
        basis=f"{REG}第二条",
        note="条例对本情形没有专门条款；年度报告格式（国办公开办函〔2021〕30号）将其列为"
        "“不予处理”。默认文本以第二条（政府信息的定义）为依据，请结合本地实践核实。",
    ),
    Outcome.NO_CORRECTION: _reply(
        "本机关已于此前书面告知您需要补正的事项，并给予您合理的补正期限（至{补正期限}）。"
        f"您无正当理由逾期未补正，根据{REG}第三十条的规定，视为您放弃申请，"
        "本机关不再处理该政府信息公开申请。",
        basis=f"{REG}第三十条",
    ),
    Outcome.FEE_UNPAID: _reply(
        "本机关已依法向您发出信息处理费缴费通知，缴费期限至{缴费期限}。"
        f"您逾期未按收费通知的要求缴纳费用，根据{FEE_RULES}的规定，视为您放弃申请，"
        "本机关不再处理该政府信息公开申请。",
        basis=f"{REG}第四十二条、{FEE_RULES}",
    ),
    Outcome.OTHER: _reply(
        "经审查，本机关对您的申请处理如下：{理由}",
        basis=f"{REG}",
        note="“其他处理”没有统一的条款，请在法律依据中写明本案适用的具体规定。",
    ),
}

OTHERS: dict[LetterKind, DefaultText] = {
    LetterKind.CORRECTION: DefaultText(
        LetterKind.CORRECTION.label,
        "\n".join(
            [
                OPENING,
                "经审查，您的申请内容不明确，本机关无法确定您所需要的政府信息。"
                f"根据{REG}第三十条的规定，现一次性告知您需要补正的事项如下：{{理由}}",
                "请您于{补正期限}前向本机关提交补正后的申请。答复期限自本机关收到补正后的申请"
                "之日起计算。",
                "您无正当理由逾期不补正的，视为放弃申请，本机关将不再处理该政府信息公开申请。",
            ]
        ),
        f"{REG}第二十九条、第三十条",
    ),
    LetterKind.EXTENSION: DefaultText(
        LetterKind.EXTENSION.label,
        "\n".join(
            [
                OPENING,
                "因{理由}，本机关不能在规定的期限内作出答复。根据"
                f"{REG}第三十三条第二款的规定，经政府信息公开工作机构负责人同意，"
                "答复期限延长{延期天数}个工作日，延长后的答复期限为{延期后期限}。",
                "特此告知。",
            ]
        ),
        f"{REG}第三十三条第二款",
    ),
    LetterKind.CONSULTATION: DefaultText(
        LetterKind.CONSULTATION.label,
        "\n".join(
            [
                "本机关于{收到日期}收到一件政府信息公开申请（申请编号：{申请编号}），"
                "申请获取“{申请内容}”的政府信息。",
                "经审查，该政府信息公开后可能损害您（贵单位）的合法权益。根据"
                f"{REG}第三十二条的规定，现书面征求您（贵单位）的意见。",
                "请自收到本意见书之日起15个工作日内以书面形式提出意见；不同意公开的，请说明理由。"
                "逾期未提出意见的，由本机关依法决定是否公开。",
                "第三方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益"
                "造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知第三方。",
            ]
        ),
        f"{REG}第十五条、第三十二条",
    ),
    LetterKind.FEE_NOTICE: DefaultText(
        LetterKind.FEE_NOTICE.label,
        "\n".join(
            [
                OPENING,
                "经审查，您申请政府信息公开的数量、频次明显超过合理范围，根据"
                f"{REG}第四十二条和{FEE_RULES}的规定，本机关依法收取信息处理费。",
                "收费依据和标准：{收费依据}",
                "收费金额：人民币{收费金额}元。",
                "缴费方式：请通过政府非税收入收缴渠道缴纳，缴款信息随本通知书提供；"
                "如需现场缴纳，请与本机关联系。",
                "请您于{缴费期限}前缴纳。逾期未缴纳的，视为您放弃申请，"
                "本机关将不再处理该政府信息公开申请。",
            ]
        ),
        f"{REG}第四十二条、{FEE_RULES}",
        note="请按本机关实际的非税收入收缴方式修改“缴费方式”一段。",
    ),
}


def default_text(kind: str, outcome: str = "") -> DefaultText:
    """The built-in text of a letter; ValueError for a kind/outcome pair that has none."""
    letter_kind = LetterKind(kind)
    if letter_kind == LetterKind.REPLY:
        try:
            return REPLIES[Outcome(outcome)]
        except ValueError:
            raise ValueError(f"答复书没有“{outcome}”这种办理结果") from None
    if outcome:
        raise ValueError(f"{letter_kind.label}不区分办理结果")
    return OTHERS[letter_kind]


def all_keys() -> list[tuple[LetterKind, str]]:
    """Every template there is: replies in the order of Table 三, then the other letters."""
    return [(LetterKind.REPLY, o.value) for o in Outcome] + [
        (k, "") for k in LetterKind if k != LetterKind.REPLY
    ]
