// A printed report shows each chart's table too: the folded tables are opened for the print.
addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details.data")) details.open = true;
});
