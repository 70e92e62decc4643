"""The admin's Presseverteiler: distribution lists and journalists (ModelViewSets in one menu
group), the import of a CSV/XLSX (upload → preview → confirm) and the embargo send of a
release (a page of its own, reached from the release's menus like its embargo links)."""

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from ..mailings.models import Mailing
from ..models import PressReleasePage
from ..models.embargo import embargo_notice
from ..spreadsheets import SpreadsheetFormulasNeutralised
from .conf import distribution_setting
from .importing import (
    ERROR,
    NEW,
    UNCHANGED,
    UPDATED,
    ImportFileError,
    ImportRow,
    journalists_file_read,
)
from .kinds import EMBARGO
from .models import DistributionList, Journalist
from .saving import ImportRefused, journalist_rows_preview, journalists_import
from .sending import EmbargoSendRefused, release_embargo_send

IMPORT_SALT = "press.distribution.import"
IMPORT_MAX_AGE = 60 * 60  # a preview left open longer is uploaded again


class ImportButtonIndexView(SpreadsheetFormulasNeutralised, IndexView):
    """The listing with an "Import" button beside "Add", and a CSV export no spreadsheet runs
    as formulas."""

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("press.add_journalist"):
            buttons.append(
                HeaderButton(
                    _("Import journalists"),
                    url=reverse("press_journalists_import:index"),
                    icon_name="upload",
                )
            )
        return buttons


class JournalistForm(WagtailAdminModelForm):
    """A journalist with the lists they are on: the lists hold their members, so this side
    of the relation is a field of its own, saved with the journalist."""

    distribution_lists = forms.ModelMultipleChoiceField(
        queryset=DistributionList.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Distribution lists"),
        help_text=gettext_lazy("The lists whose mailings this journalist receives."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["distribution_lists"] = list(
                self.instance.distribution_lists.values_list("pk", flat=True)
            )

    def save(self, commit=True):
        instance = super().save(commit=commit)
        lists = self.cleaned_data["distribution_lists"]
        if commit:
            instance.distribution_lists.set(lists)
        else:
            save_m2m = self.save_m2m

            def save_m2m_and_lists():
                save_m2m()
                instance.distribution_lists.set(lists)

            self.save_m2m = save_m2m_and_lists
        return instance


class DistributionListForm(WagtailAdminModelForm):
    """A list's members, with how to add someone who is not in the list of journalists yet
    (a new list, or an office without journalists, shows no checkbox at all)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].help_text = format_html(
            _(
                "Tick the journalists on this list. Someone missing: "
                '<a href="{add}">add a journalist</a> or '
                '<a href="{import_url}">import journalists</a> from a CSV or XLSX file, '
                "then tick them here (or this list in their form)."
            ),
            add=reverse("press_journalists:add"),
            import_url=reverse("press_journalists_import:index"),
        )


class JournalistViewSet(ModelViewSet):
    model = Journalist
    name = "press_journalists"
    icon = "user"
    menu_label = gettext_lazy("Journalists")
    index_view_class = ImportButtonIndexView
    list_display = ["name", "outlet", "email", "active"]
    list_filter = ["active", "distribution_lists", "topics"]
    search_fields = ["name", "outlet", "email"]
    list_export = ["name", "outlet", "email", "active", "notes"]
    export_filename = "journalists"
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("outlet"),
            FieldPanel("email"),
            FieldPanel("distribution_lists"),
            FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
            FieldPanel("active"),
            FieldPanel("notes"),
        ],
        base_form_class=JournalistForm,
    )


class DistributionListViewSet(ModelViewSet):
    model = DistributionList
    name = "press_distribution_lists"
    icon = "list-ul"
    menu_label = gettext_lazy("Distribution lists")
    index_view_class = ImportButtonIndexView
    list_display = ["name", "member_count", "description"]
    search_fields = ["name", "description"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("description"),
            FieldPanel("members", widget=forms.CheckboxSelectMultiple),
        ],
        base_form_class=DistributionListForm,
    )


class DistributionViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Distribution lists (press)")
    menu_icon = "group"
    menu_order = 312
    items = (DistributionListViewSet, JournalistViewSet)


# --- import: upload → preview → confirm ----------------------------------------------------


class JournalistImportForm(forms.Form):
    distribution_list = forms.ModelChoiceField(
        label=gettext_lazy("Distribution list"),
        queryset=DistributionList.objects.all(),
        help_text=gettext_lazy("The imported journalists are put on this list."),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (separated by ; or ,) or XLSX, with a first line naming the columns: Name, "
            "Redaktion (or Medium, Outlet), E-Mail, Themen (topics by name or slug, separated "
            "by commas)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = distribution_setting("JOURNALIST_IMPORT_MAX_BYTES")
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (%(size)s); at most %(limit)s can be imported.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        try:
            return journalists_file_read(
                content=upload.read(),
                max_rows=distribution_setting("JOURNALIST_IMPORT_MAX_ROWS"),
                max_unpacked_bytes=distribution_setting("JOURNALIST_IMPORT_MAX_UNPACKED_BYTES"),
            )
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error


def _import_allowed(user) -> bool:
    return user.has_perm("press.add_journalist") and user.has_perm("press.change_journalist")


@require_http_methods(["GET", "POST"])
def journalists_import_view(request):
    if not _import_allowed(request.user):
        raise PermissionDenied
    context = {
        "page_title": _("Import journalists"),
        "header_icon": "upload",
        "labels": {
            NEW: _("new"),
            UPDATED: _("updated"),
            UNCHANGED: _("unchanged"),
            ERROR: _("error"),
        },
    }
    if request.method == "POST" and "payload" in request.POST:
        return _import_confirm(request, context)
    posted = request.method == "POST"
    form = JournalistImportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial={"distribution_list": request.GET.get("list")},
    )
    if request.method == "POST" and form.is_valid():
        distribution_list = form.cleaned_data["distribution_list"]
        rows = journalist_rows_preview(
            rows=form.cleaned_data["file"], distribution_list=distribution_list
        )
        payload = None
        if not any(row.status == ERROR for row in rows):
            payload = signing.dumps(
                {"list": distribution_list.pk, "rows": [row.as_data() for row in rows]},
                salt=IMPORT_SALT,
                compress=True,
            )
        for row in rows:
            row.label = context["labels"][row.status]
        summary = [
            (status, label, sum(row.status == status for row in rows))
            for status, label in context["labels"].items()
        ]
        context.update(
            rows=rows,
            summary=summary,
            payload=payload,
            distribution_list=distribution_list,
            file_name=request.FILES["file"].name,
        )
    context["form"] = form
    return TemplateResponse(request, "press/distribution/import.html", context)


def _import_confirm(request, context):
    try:
        data = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
        distribution_list = DistributionList.objects.get(pk=data["list"])
        rows = [ImportRow.from_data(row) for row in data["rows"]]
    except (signing.BadSignature, DistributionList.DoesNotExist, KeyError, TypeError, ValueError):
        messages.error(
            request,
            _("The preview has expired or is no longer valid; please upload the file again."),
        )
        return redirect("press_journalists_import:index")
    try:
        counts = journalists_import(rows=rows, distribution_list_id=distribution_list.pk)
    except ImportRefused as refused:
        messages.error(
            request,
            _("Nothing was imported: %(errors)s")
            % {"errors": " ".join(message for row in refused.rows for message in row.messages)},
        )
        return redirect(reverse("press_journalists_import:index") + f"?list={distribution_list.pk}")
    messages.success(
        request,
        _("Imported into “%(list)s”: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.")
        % {
            "list": distribution_list.name,
            "new": counts[NEW],
            "updated": counts[UPDATED],
            "unchanged": counts[UNCHANGED],
        },
    )
    return redirect("press_distribution_lists:edit", distribution_list.pk)


class JournalistImportViewSet(ViewSet):
    name = "press_journalists_import"
    url_prefix = "press/journalists-import"
    icon = "upload"

    def get_urlpatterns(self):
        return [path("", journalists_import_view, name="index")]


# --- a release under embargo to lists ---------------------------------------------------------


class EmbargoSendForm(forms.Form):
    lists = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Distribution lists"),
        queryset=DistributionList.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Each active journalist on these lists gets a personal embargo link once; who has "
            "had one for this release is not sent another."
        ),
    )


@require_http_methods(["GET", "POST"])
def embargo_send_view(request, page_id: int):
    release = get_object_or_404(PressReleasePage, pk=page_id)
    if not release.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    form = EmbargoSendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sent, had = release_embargo_send(
                release=release, lists=list(form.cleaned_data["lists"]), user=request.user
            )
        except EmbargoSendRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                # Two counts, each with its own plural ("an 1 Journalistinnen" was wrong).
                ngettext(
                    "Sent under embargo to %(sent)s journalist;",
                    "Sent under embargo to %(sent)s journalists;",
                    sent,
                )
                % {"sent": sent}
                + " "
                + ngettext("%(had)s had it already.", "%(had)s had it already.", had)
                % {"had": had},
            )
            return redirect("press_embargo_send:index", page_id=release.pk)
    mailing = Mailing.objects.filter(release=release, kind=EMBARGO).first()
    deliveries = (
        mailing.deliveries.select_related("embargo_link")
        .prefetch_related("recipient")
        .order_by("journalist__name")
        if mailing
        else []
    )
    return TemplateResponse(
        request,
        "press/distribution/embargo_send.html",
        {
            "release": release,
            "form": form,
            "mailing": mailing,
            "deliveries": deliveries,
            "embargo_notice": embargo_notice(release=release),
            "page_title": _("Send to lists under embargo"),
            "page_subtitle": release.title,
            "header_icon": "mail",
        },
    )


class EmbargoSendViewSet(ViewSet):
    name = "press_embargo_send"
    url_prefix = "press/embargo-send"
    icon = "mail"

    def get_urlpatterns(self):
        return [path("<int:page_id>/", embargo_send_view, name="index")]
