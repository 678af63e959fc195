// CoQuan page behaviour. No inline scripts anywhere (strict CSP): behaviour hangs on data-*.
document.addEventListener("DOMContentLoaded", function () {
  // <select data-autosubmit> submits its form on change; the button stays for keyboard users.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // <form data-confirm="..."> asks before submitting.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
});
