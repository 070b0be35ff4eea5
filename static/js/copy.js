// Copy buttons: <button data-copy="ID" data-copied="…" data-failed="…" hidden> copies the
// value of the field with that id and says so in the live region data-copy-status names.
// The buttons stay hidden without JavaScript; the field can then be selected and copied by hand.
"use strict";

function copyField(button) {
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById(button.dataset.copyStatus);
  const say = (text) => {
    if (status) status.textContent = text;
  };
  navigator.clipboard.writeText(field.value).then(
    () => say(button.dataset.copied),
    () => {
      // Without clipboard access (an older browser, or no permission): select the text so
      // Ctrl+C copies it.
      field.focus();
      field.select();
      say(button.dataset.failed);
    },
  );
}

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    if (!document.getElementById(button.dataset.copy) || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", () => copyField(button));
  }
});
