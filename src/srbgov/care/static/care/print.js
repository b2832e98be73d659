// The notice's print button: the security policy allows no inline handlers (docs/security.md).
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target && target.closest && target.closest("[data-print]")) window.print();
});
