// The print button of the letter page (the Content-Security-Policy allows no inline handler).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
