// The search box of a long select (registry.admin_forms.SearchableSelect): keeps the options holding every word
// typed (a unit path: "石家庄 桥西") and opens them as a list; an empty box gives the plain drop-down back.
document.addEventListener("input", (event) => {
  const box = event.target;
  if (!box.matches || !box.matches("input[data-select-search]")) return;
  const select = document.getElementById(box.dataset.selectSearch);
  if (!select) return;
  const words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const option of select.options) {
    const match = !option.value || words.every((word) => option.text.toLowerCase().includes(word));
    option.hidden = !match;
    if (match && option.value) shown += 1;
  }
  select.size = words.length ? Math.min(Math.max(shown + 1, 2), 10) : 0;
});
