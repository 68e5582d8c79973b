// The JS API's glue: what crosses the boundary, in the forms V8 handles
// fastest. Rust calls these (src/api/mod.rs); a page never does.

const decoder = new TextDecoder();

// A scenario as its JSON text, or undefined when it has none (a cycle, a
// BigInt, a function).
export function scenarioText(value) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch {
    return undefined;
  }
  return typeof text === 'string' ? text : undefined;
}

// `text` as UTF-8 into `into`, a view of wasm memory with room for it (what
// wasm-bindgen does for a string is a JS loop per character); the bytes written.
const encoder = new TextEncoder();
export function encodeInto(text, into) {
  return encoder.encodeInto(text, into).written;
}

// The report's wire form (src/api/wire.rs, which documents the order) back
// into the documented `Report`: the text is decoded once and every string
// value cut out of it. Object literals keep the report's key order, so
// JSON.stringify of the result is the report's JSON. A later view's position
// that reuses the first view's figures shares their strings (the same
// values; strings are immutable) but is an object of its own.
export function assemble(bytes, ends, ints) {
  const text = decoder.decode(bytes);
  let end = 0;
  let from = 0;
  let int = 0;
  const str = () => {
    const to = ends[end++];
    const value = text.substring(from, to);
    from = to;
    return value;
  };
  // A decimal or null (written as nothing: a decimal's text is never empty).
  const opt = () => {
    const to = ends[end++];
    const value = to === from ? null : text.substring(from, to);
    from = to;
    return value;
  };
  const num = () => ints[int++];
  const list = (item) => {
    const n = num();
    const out = [];
    for (let i = 0; i < n; i++) out.push(item(i));
    return out;
  };

  const format = str();
  const as_given = view(null);
  const all_cross = view(as_given);
  const all_isolated = view(as_given);
  const all_portfolio = num() === 1 ? view(as_given) : null;
  return { format, as_given, all_cross, all_isolated, all_portfolio };

  function view(given) {
    const first = given === null ? null : given.positions;
    const positions = list((i) => {
      const how = num();
      // 2: all of it as in the first view (a copy: a page may change one view's).
      if (how !== 2) return position(how === 1 ? null : first[i]);
      const copy = { ...first[i] };
      if (copy.costs) copy.costs = { ...copy.costs };
      return copy;
    });
    const pools = list(() => {
      const k = num();
      if (k === 0) return pool();
      // The first view's pool k − 1, all of it (a copy, with its own lists).
      const same = given.pools[k - 1];
      const copy = { ...same, positions: same.positions.slice(), units: same.units.map((u) => ({ ...u, positions: u.positions.slice() })) };
      if (same.costs) copy.costs = { ...same.costs };
      return copy;
    });
    return { positions, pools, account: account() };
  }

  function position(s) {
    let id, market, asset, side, currency, qty, entry_price, mark_price, leverage, notional,
      value, pnl, roe, initial_margin, maintenance_margin, mmr, maintenance_amount, tier;
    if (s === null) {
      id = str(); market = str(); asset = str(); side = str(); currency = str();
      qty = str(); entry_price = str(); mark_price = str(); leverage = str();
      notional = str(); value = str(); pnl = str(); roe = str();
      initial_margin = str(); maintenance_margin = str(); mmr = str();
      maintenance_amount = str(); tier = num();
    } else {
      ({ id, market, asset, side, currency, qty, entry_price, mark_price, leverage, notional,
        value, pnl, roe, initial_margin, maintenance_margin, mmr, maintenance_amount, tier } = s);
    }
    const margin_mode = str();
    const pool = str();
    const isolated_margin = opt();
    const liquidation_price = opt();
    const bankruptcy_price = opt();
    const liquidation_distance = opt();
    const liquidation_distance_ratio = opt();
    const liquidated = num() === 1;
    const out = {
      id, market, asset, side, margin_mode, pool, currency, qty, entry_price, mark_price,
      leverage, notional, value, pnl, roe, initial_margin, maintenance_margin, mmr,
      maintenance_amount, tier, isolated_margin, liquidation_price, bankruptcy_price,
      liquidation_distance, liquidation_distance_ratio, liquidated,
    };
    if (num() === 1) {
      const funding = str();
      const funding_per_day = str();
      const close_fee = str();
      const paid = str();
      const pnl = str();
      const break_even_price = opt();
      const liquidation_price = opt();
      const bankruptcy_price = opt();
      const liquidation_drift_per_day = opt();
      out.costs = {
        funding, funding_per_day, close_fee, paid, pnl, break_even_price, liquidation_price,
        bankruptcy_price, liquidation_drift_per_day,
      };
    }
    return out;
  }

  function pool() {
    const id = str();
    const mode = str();
    const currency = str();
    const positions = list(str);
    const wallet_balance = str();
    const collateral_value = str();
    const wallet_value = str();
    const pnl = str();
    const equity = str();
    const initial_margin = str();
    const maintenance_margin = str();
    const value = str();
    const margin_ratio = opt();
    const collateral_ratio = opt();
    const effective_leverage = opt();
    const free_margin = str();
    const status = str();
    const units = list(() => {
      const asset = str();
      const positions = list(str);
      const worst_loss = str();
      const worst_scenario = opt();
      const roll_charge = str();
      const basis_charge = str();
      const floor_charge = str();
      const requirement = str();
      const maintenance_margin = str();
      const initial_margin = str();
      const delta = str();
      const gross = str();
      return {
        asset, positions, worst_loss, worst_scenario, roll_charge, basis_charge, floor_charge,
        requirement, maintenance_margin, initial_margin, delta, gross,
      };
    });
    const out = {
      id, mode, currency, positions, wallet_balance, collateral_value, wallet_value, pnl,
      equity, initial_margin, maintenance_margin, value, margin_ratio, collateral_ratio,
      effective_leverage, free_margin, status, units,
    };
    if (num() === 1) {
      const funding = str();
      const close_fees = str();
      const equity = str();
      const margin_ratio = opt();
      const free_margin = str();
      const status = str();
      const liquidated_after_hours = opt();
      out.costs = {
        funding, close_fees, equity, margin_ratio, free_margin, status, liquidated_after_hours,
      };
    }
    return out;
  }

  function account() {
    const quote = str();
    const total_equity = str();
    const collateral_value = str();
    const wallet_value = str();
    const status = str();
    const liquidated_pools = num();
    const liquidated_positions = num();
    const thresholds = list(() => {
      const pool = str();
      const down = opt();
      const up = opt();
      return { pool, down, up };
    });
    const sweeps = list(() => {
      const asset = str();
      const price = str();
      const down = list(hit);
      const up = list(hit);
      return { asset, price, down, up };
    });
    return {
      quote, total_equity, collateral_value, wallet_value, status, liquidated_pools,
      liquidated_positions, thresholds, sweeps,
    };
  }

  function hit() {
    const pool = str();
    const price = str();
    return { pool, price };
  }
}
