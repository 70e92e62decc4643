"""The release editor's form: the publication dates in one place, the contact an editor would
pick, no release published without a contact by accident, and no related release of another
site."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .contacts import PressContact
from .office import PressSettings

NO_CONTACT_MESSAGE = _(
    "This press release has no press contact. Choose one, or tick “Publish without a press "
    "contact” to publish it anyway."
)

OTHER_SITE_MESSAGE = _(
    "This press release belongs to another site and would not be shown below this one. "
    "Choose a press release of this site."
)


def release_date_default(*, go_live_at=None):
    """The release date of a release whose editor left it empty: the go-live (embargo) day in
    the site's time zone, else today."""
    if go_live_at is not None:
        return timezone.localdate(go_live_at)
    return timezone.localdate()


def contact_default(*, user, site) -> PressContact | None:
    """The press contact a new release starts with: the editor's own, else the office's."""
    if user is not None and user.is_authenticated:
        own = PressContact.objects.filter(user=user).first()
        if own is not None:
            return own
    if site is None:
        return None
    return PressSettings.for_site(site).default_contact


class PressReleasePageForm(WagtailAdminPageForm):
    publish_without_contact = forms.BooleanField(
        label=_("Publish without a press contact"),
        required=False,
        help_text=_("Journalists then find no one to ask in the release."),
    )

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Go-live and expiry are fields of the editor's "Publication" panel, not of the status
        # side panel's dialog: no toggle for a dialog that is not there. Wagtail builds the
        # edit form as a subclass with its draft-state mixin first, whose property says
        # otherwise; the subclass is where this has to be said.
        cls.show_schedule_publishing_toggle = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "release_date" in self.fields:
            # Empty: the go-live day, else today (see clean).
            self.fields["release_date"].required = False
        if (
            "contact" in self.fields
            and self.instance._state.adding
            and not self.is_bound
            and not self.instance.contact_id
        ):
            site = self.parent_page.get_site() if self.parent_page is not None else None
            contact = contact_default(user=self.for_user, site=site)
            if contact is not None:
                self.initial["contact"] = contact.pk

    def clean(self):
        cleaned_data = super().clean()
        if (
            "release_date" in self.fields
            and not cleaned_data.get("release_date")
            and "release_date" not in self.errors
        ):
            cleaned_data["release_date"] = release_date_default(
                go_live_at=cleaned_data.get("go_live_at")
            )
        publishing = bool(self.data.get("action-publish"))
        if (
            publishing
            and "contact" in self.fields
            and not cleaned_data.get("contact")
            and "contact" not in self.errors
            and not cleaned_data.get("publish_without_contact")
        ):
            self.add_error("contact", NO_CONTACT_MESSAGE)
        self.related_releases_check()
        return cleaned_data

    def related_releases_check(self) -> None:
        """The page chooser offers every site's pages, but a release only ever lists related
        releases of its own site (`releases_related`): another site's is refused at its field
        instead of missing silently from the page."""
        formset = self.formsets.get("related_links")
        chosen = [
            (form, form.cleaned_data["related"])
            for form in (formset.forms if formset is not None else [])
            if form.is_valid()
            and form.cleaned_data.get("related") is not None
            and not form.cleaned_data.get("DELETE")
        ]
        site = self.parent_page.get_site() if chosen and self.parent_page is not None else None
        if site is None:
            return
        for form, related in chosen:
            if not related.path.startswith(site.root_page.path):
                form.add_error("related", OTHER_SITE_MESSAGE)
