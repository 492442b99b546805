"""Decision buttons on a record's admin page: the steps its state allows, each calling the bulk action's service.

An admin lists its ``lifecycle_steps`` (what the step is called, when it
fits the record's state, the form that asks for a reason or an agency, and the
service call) and says in ``lifecycle_permitted`` whether the user may decide
on the record at all (the app's ``permissions.py``). The change page then
shows one row of buttons (``admin/_lifecycle_buttons.html``); each posts
(CSRF) to a small view that runs the step, says what happened and opens the
next record waiting in the same queue, oldest first, in the user's scope, or
the filtered changelist when none is left. A missing reason re-shows the page
with the form's error (HTTP 400) and changes nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST


class ChosenOrTypedForm(forms.Form):
    """A usual answer from a short list, or one typed in; the typed text wins. ``cleaned_data[name]`` holds it.

    Subclasses (``choice_or_text``) set ``answer`` (the name), the list, the labels and
    whether an answer is required; the error is the subclass's ``missing``.
    """

    answer = "reason"
    required = True
    missing: Any = _("Write the reason or choose one from the list.")

    def clean(self):
        data = super().clean()
        typed = (data.get(f"{self.answer}_text") or "").strip()
        chosen = data.get(f"{self.answer}_choice") or ""
        data[self.answer] = typed or chosen
        if self.required and not data[self.answer]:
            raise ValidationError(self.missing, code="required")
        return data


def choice_or_text(
    name: str,
    choices: Iterable[Any],
    *,
    choice_label: Any,
    text_label: Any,
    required: bool = True,
    missing: Any = None,
    base: type[forms.Form] = ChosenOrTypedForm,
    textarea: bool = True,
) -> type[ChosenOrTypedForm]:
    """A form class asking for ``name`` as a choice from ``choices`` (shown and stored as written) or typed."""
    widget = forms.Textarea(attrs={"rows": 2, "maxlength": 2000}) if textarea else forms.TextInput()
    fields = {
        f"{name}_choice": forms.ChoiceField(
            label=choice_label,
            required=False,
            choices=lambda: [("", gettext("Choose from the list…")), *((str(c), str(c)) for c in choices)],
        ),
        f"{name}_text": forms.CharField(label=text_label, required=False, max_length=2000, widget=widget),
        "answer": name,
        "required": required,
        # The answer first, then any field the base form adds (a note).
        "field_order": [f"{name}_choice", f"{name}_text"],
    }
    if missing is not None:
        fields["missing"] = missing
    return type(f"{name.title()}Form", (base,), fields)


@dataclass(frozen=True)
class Step:
    """One decision: ``fits(obj)``: the record's state allows it; ``act(user, obj, data)`` calls the service.

    ``done`` is the message after it, with ``%(object)s``; ``form`` (a form
    class) asks for what the service needs; ``primary`` marks the usual choice.
    """

    name: str
    label: Any
    fits: Callable[[Any], bool]
    act: Callable[[Any, Any, dict], Any]
    done: Any
    form: type[forms.Form] | None = None
    primary: bool = False


class LifecycleAdminMixin:
    """Adds the decision buttons to the change page; set ``lifecycle_steps`` and ``lifecycle_permitted``.

    ``lifecycle_queues`` are the states that are queues (the next record is
    opened after a decision there); ``lifecycle_order`` is their oldest-first order.
    """

    change_form_template = "admin/lifecycle_change_form.html"
    lifecycle_steps: tuple[Step, ...] = ()
    lifecycle_queues: tuple[str, ...] = ()
    lifecycle_order: tuple[str, ...] = ("pk",)

    def lifecycle_permitted(self, request, obj) -> bool:
        raise NotImplementedError

    # --- the page ---------------------------------------------------------------
    def _step_url(self, obj, step: Step) -> str:
        opts = self.opts
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_lifecycle",
            args=[quote(obj.pk), step.name],
            current_app=self.admin_site.name,
        )

    def lifecycle_buttons(self, request, obj, bound: dict | None = None) -> list[dict]:
        """The steps the user may take on ``obj`` now, each with its address and (bound) form."""
        steps = [step for step in self.lifecycle_steps if step.fits(obj)]
        if not steps or not self.lifecycle_permitted(request, obj):
            return []
        bound = bound or {}
        return [
            {
                "name": step.name,
                "label": step.label,
                "url": self._step_url(obj, step),
                "primary": step.primary,
                "form": bound.get(step.name) or (step.form(auto_id=f"id_{step.name}_%s") if step.form else None),
            }
            for step in steps
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not add:
            context["lifecycle"] = self.lifecycle_buttons(request, obj, context.get("lifecycle_bound"))
            context["lifecycle_status"] = obj.get_status_display()
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- the step ---------------------------------------------------------------
    def get_urls(self):
        opts = self.opts
        extra = [
            path(
                "<path:object_id>/lifecycle/<slug:step>/",
                self.admin_site.admin_view(require_POST(self.lifecycle_view)),
                name=f"{opts.app_label}_{opts.model_name}_lifecycle",
            )
        ]
        return extra + super().get_urls()

    def lifecycle_view(self, request, object_id: str, step: str):
        """Run one step on one record, then open the next record of the same queue."""
        chosen = next((s for s in self.lifecycle_steps if s.name == step), None)
        if chosen is None:
            raise Http404
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            if self.model._default_manager.filter(pk=unquote(object_id)).exists():
                raise PermissionDenied  # outside the user's districts
            raise Http404
        if not self.lifecycle_permitted(request, obj):
            raise PermissionDenied
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[quote(obj.pk)],
            current_app=self.admin_site.name,
        )
        if not chosen.fits(obj):
            self.message_user(
                request,
                gettext("This decision no longer fits: the status is now “%(status)s”.")
                % {"status": obj.get_status_display()},
                messages.ERROR,
            )
            return HttpResponseRedirect(change_url)
        form = chosen.form(request.POST, auto_id=f"id_{chosen.name}_%s") if chosen.form else None
        if form is not None and not form.is_valid():
            return self._show_again(request, obj, chosen, form)
        status = obj.status
        try:
            chosen.act(request.user, obj, form.cleaned_data if form is not None else {})
        except ValidationError as exc:
            if form is None:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return HttpResponseRedirect(change_url)
            form.add_error(None, exc.messages)
            return self._show_again(request, obj, chosen, form)
        self.message_user(request, chosen.done % {"object": obj}, messages.SUCCESS)
        return HttpResponseRedirect(self._next_url(request, obj, status, change_url))

    def _show_again(self, request, obj, step: Step, form):
        """The record's page as it stands, the step's form open with its errors; nothing was written."""
        again = copy.copy(request)
        again.method = "GET"
        again.POST = QueryDict()
        response = self.change_view(again, str(obj.pk), extra_context={"lifecycle_bound": {step.name: form}})
        response.status_code = 400
        return response

    def _next_url(self, request, obj, status: str, change_url: str) -> str:
        """The oldest other record still waiting in ``status`` in the user's scope, or the emptied queue's list."""
        if status not in self.lifecycle_queues:
            return change_url
        waiting = self.get_queryset(request).filter(status=status).exclude(pk=obj.pk)
        next_pk = waiting.order_by(*self.lifecycle_order).values_list("pk", flat=True).first()
        opts = self.opts
        if next_pk is not None:
            return reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[quote(next_pk)],
                current_app=self.admin_site.name,
            )
        self.message_user(request, gettext("The queue is empty: nothing else is waiting here."), messages.INFO)
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist", current_app=self.admin_site.name)
        return f"{changelist}?status__exact={status}"
