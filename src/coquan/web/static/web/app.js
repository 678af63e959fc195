// CoQuan page behaviour. No inline scripts anywhere (strict CSP): behaviour hangs on data-*.
document.addEventListener("DOMContentLoaded", function () {
  // <select data-autosubmit> submits its form on change (for filters that are not a change of
  // context); forms keep a submit button for keyboard and no-script users.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.requestSubmit(); });
  });
  // <form data-confirm="..."> asks before submitting.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
  // The skip link moves keyboard focus, not only the scroll position, to the main content.
  document.querySelectorAll("a.skip-link[href^='#']").forEach(function (link) {
    link.addEventListener("click", function () {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (target) { target.focus(); }
    });
  });
});
