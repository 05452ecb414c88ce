"""The scoring rubrics (评分标准): the office sees every version and makes a new one.

A rubric is never edited once a published check used it (scoring.edit_rubric refuses), so the
page offers "new version" only: the form starts from the newest version's values, and the
categories of the newest plan are listed so their weights can be set.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path
from django.views.decorators.http import require_http_methods

from gongkai.plans.models import Plan
from gongkai.work.access import require_office, sees_all
from gongkai.work.filters import first_categories
from gongkai.work.models import Result, Rubric
from gongkai.work.scoring import (
    DEFAULT_RUBRIC,
    MAX_WEIGHT,
    ScoreRejected,
    default_rubric,
    new_rubric_version,
    rubric_in_use,
)


class RubricForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    done = forms.DecimalField(label="“完成”得分", min_value=0, max_value=100, decimal_places=2)
    partly = forms.DecimalField(
        label="“部分完成”得分", min_value=0, max_value=100, decimal_places=2
    )
    not_done = forms.DecimalField(
        label="“未完成”得分", min_value=0, max_value=100, decimal_places=2
    )
    default_weight = forms.DecimalField(
        label="默认权重", min_value=0, max_value=MAX_WEIGHT, max_digits=6, decimal_places=2
    )
    weights = forms.CharField(
        label="类别权重（每行“类别：权重”，未列出的类别用默认权重）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_weights(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for n, line in enumerate(self.cleaned_data["weights"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, value = line.replace("：", ":").rpartition(":")
            if not sep or not name.strip():
                raise forms.ValidationError(f"第{n}行应写成“类别：权重”")
            out[name.strip()] = value.strip()
        return out


def _initial(rubric: Rubric) -> dict[str, Any]:
    points = rubric.points if isinstance(rubric.points, dict) else {}
    weights = rubric.weights if isinstance(rubric.weights, dict) else {}
    return {
        "name": rubric.name,
        "done": points.get(Result.DONE, 100),
        "partly": points.get(Result.PARTLY, 60),
        "not_done": points.get(Result.NOT_DONE, 0),
        "default_weight": rubric.default_weight,
        "weights": "\n".join(f"{k}：{v:g}" for k, v in weights.items()),
    }


def _categories() -> list[str]:
    newest = Plan.objects.order_by("-year", "-pk").values_list("pk", flat=True).first()
    return first_categories(newest)


@require_http_methods(["GET", "POST"])
@login_required
def rubrics(request: HttpRequest) -> HttpResponse:
    if not sees_all(request.user):
        require_office(request.user)  # 403: rubrics are the office's (evaluators may read)
    newest = default_rubric()
    form = RubricForm(request.POST or None, initial=_initial(newest))
    if request.method == "POST":
        require_office(request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                rubric = new_rubric_version(
                    request.user,
                    data["name"],
                    {r: data[r] for r in ("done", "partly", "not_done")},
                    data["weights"],
                    data["default_weight"],
                )
            except ScoreRejected as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已新建“{rubric}”，开始新的季度检查时可选用")
                return redirect("work:rubrics")
    rows = [
        (r, rubric_in_use(r), sorted((r.weights or {}).items()))
        for r in Rubric.objects.select_related("created_by").order_by("name", "-version")
    ]
    context = {
        "form": form,
        "rows": rows,
        "categories": _categories(),
        "default_name": DEFAULT_RUBRIC,
        "zero": Decimal(0),
    }
    return render(request, "work/rubrics.html", context)


urlpatterns: list[URLPattern | URLResolver] = [
    path("rubrics/", rubrics, name="rubrics"),
]
