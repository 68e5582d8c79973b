// Sizes each embedded Marginscope widget to its content. The widget sends
// only { type: "marginscope:height", height }; anything else, from anywhere
// else, is ignored.
addEventListener("message", (event) => {
  if (event.origin !== location.origin) return;
  const data = event.data;
  if (!data || data.type !== "marginscope:height" || !Number.isFinite(data.height)) return;
  for (const frame of document.querySelectorAll("iframe")) {
    if (frame.contentWindow === event.source) {
      frame.style.height = `${Math.min(Math.max(data.height, 100), 20000)}px`;
    }
  }
});
