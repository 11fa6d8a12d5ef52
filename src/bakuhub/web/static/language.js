// The language switch sends itself when a language is picked (the button stays for
// readers without scripts and for keyboards).
document.querySelectorAll("form.language select").forEach((select) => {
  select.addEventListener("change", () => select.form.requestSubmit());
});
