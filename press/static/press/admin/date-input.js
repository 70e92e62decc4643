/*
 * A typed date reaches the server as it was typed, in the release's own date fields (their
 * widgets carry data-press-typed-date: press/models/pages.py); every other date picker of the
 * admin keeps Wagtail's behaviour.
 *
 * Wagtail's date pickers (jQuery datetimepicker) check typed text when the field loses focus
 * and replace what they cannot read with the current date and time, or "correct" it
 * (31.02. becomes 03.03.) — a release date or go-live silently changed, and the save still
 * reports success. The field's blur is stopped at the document on its way down (capture
 * phase), so the picker's check never sees it: the text is sent as typed, and a date Django
 * cannot read is a form error next to the field.
 */
(function () {
  'use strict';
  document.addEventListener(
    'blur',
    function (event) {
      var field = event.target;
      if (field instanceof Element && field.matches('[data-press-typed-date]')) {
        event.stopPropagation();
      }
    },
    true
  );
})();
