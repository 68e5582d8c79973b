// The JS API in a page: a scenario in, a report out, drawn with textContent
// (never innerHTML: a scenario's text is data, not markup).
import init, { evaluate } from "../pkg/marginscope.js";

const scenario = (btc) => ({
  format: "marginscope/1",
  quote: "USD",
  wallet: { USD: "6000" },
  prices: { BTC: String(btc) },
  markets: {
    BTCUSDT: { asset: "BTC", tiers: [
      { notional_floor: "0", notional_cap: "50000", mmr: "0.004", max_leverage: "125" },
      { notional_floor: "50000", notional_cap: "600000", mmr: "0.005", max_leverage: "100" },
      { notional_floor: "600000", mmr: "0.0065", max_leverage: "75" } ] },
  },
  hedge_mode: true,
  positions: [
    { market: "BTCUSDT", side: "long", qty: "1", entry_price: "60000", leverage: "20" },
    { market: "BTCUSDT", side: "short", qty: "1", entry_price: "60000", leverage: "20" },
  ],
});

const money = (s) => Number(s).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function draw(btc) {
  const tbody = document.querySelector("#report tbody");
  const rows = [];
  try {
    const report = evaluate(scenario(btc));
    for (const [mode, view] of [["cross", report.all_cross], ["isolated", report.all_isolated]]) {
      for (const p of view.positions) {
        const tr = document.createElement("tr");
        tr.dataset.position = `${mode}:${p.id}`;
        for (const text of [p.id, mode, money(p.pnl), p.liquidation_price === null ? "none" : money(p.liquidation_price), p.liquidated ? "yes" : "no"]) {
          const td = document.createElement("td");
          td.textContent = text;
          tr.append(td);
        }
        rows.push(tr);
      }
    }
    document.getElementById("status").textContent = "";
  } catch (e) {
    document.getElementById("status").textContent = `${e.path ?? ""} ${e.message}`;
  }
  tbody.replaceChildren(...rows);
  document.getElementById("btc-out").textContent = String(btc);
}

await init();
const slider = document.getElementById("btc");
slider.addEventListener("input", () => draw(Number(slider.value)));
draw(Number(slider.value));
