/*
 * A typed date reaches the server as it was typed.
 *
 * Wagtail's date pickers (jQuery datetimepicker) check typed text when the field loses focus
 * and replace what they cannot read with the current date and time, or "correct" it
 * (31.02. becomes 03.03.) — a release date or go-live silently changed, and the save still
 * reports success. Without that check the text is sent as typed, and a date Django cannot
 * read is a form error next to the field.
 */
(function () {
  'use strict';
  var jq = window.jQuery;
  if (jq && jq.fn && jq.fn.datetimepicker && jq.fn.datetimepicker.defaults) {
    jq.fn.datetimepicker.defaults.validateOnBlur = false;
  }
})();
