/** A decimal: a string such as "0.5" or "1e-9" (preferred), or a finite number read from its shortest text. Outputs are always strings. */
export type Decimal = string | number;
export type Side = "long" | "short";
export type MarginMode = "cross" | "isolated" | "portfolio";
export type Settlement = "linear" | "inverse";
export type MarginBasis = "mark" | "entry";
export type Status = "healthy" | "below_initial_margin" | "liquidated";

export interface Tier {
  notional_floor: Decimal;
  notional_cap?: Decimal | null;
  mmr: Decimal;
  maintenance_amount?: Decimal | null;
  max_leverage?: Decimal | null;
}
/** When the asset is at `asset_price`, the market's mark is `mark_price` (a dated future at a basis); the ratio holds as the asset's price moves. */
export interface Premium { asset_price: Decimal; mark_price: Decimal; }
export interface Market {
  asset: string;
  settlement?: Settlement;
  contract_size?: Decimal;
  margin_basis?: MarginBasis;
  tiers: Tier[];
  source?: string | null;
  premium?: Premium | null;
  /** Trading fee rates, fractions of the notional (0.0005 is 0.05 %). */
  fees?: Fees | null;
  /** A perpetual's funding. */
  funding?: Funding | null;
  /** "initial_margin_and_close_fee": an isolated position's margin, when not given, also holds the fee to close at the bankruptcy price (Bybit). */
  isolated_margin_rule?: "initial_margin" | "initial_margin_and_close_fee";
}
export interface Fees { maker?: Decimal; taker?: Decimal; }
/** Every `interval_hours` (8 when absent), a long pays `rate` times its value at the funding price; a negative rate, the shorts pay. */
export interface Funding { rate: Decimal; interval_hours?: Decimal; price?: "mark" | "index"; }
/** What a position has cost since it was opened, positive when paid; `fees` absent: the fee to open at its rate. */
export interface CostsPaid { fees?: Decimal | null; funding?: Decimal; }
/** How portfolio margin charges one asset's risk unit (docs/scenario-format.md, "Portfolio margin"). */
export interface PortfolioParams {
  shocks: Decimal[];
  gain_weight?: Decimal; roll_rate?: Decimal; basis_rate?: Decimal; floor_rate?: Decimal;
  mm_factor: Decimal; im_factor: Decimal;
  source?: string | null;
}
export interface Position {
  id?: string | null;
  market: string;
  side: Side;
  qty: Decimal;
  entry_price: Decimal;
  margin_mode?: MarginMode;
  leverage?: Decimal | null;
  isolated_margin?: Decimal | null;
  /** Which rate the fee to open was paid at (taker when absent). */
  opened_as?: "maker" | "taker" | null;
  costs_paid?: CostsPaid | null;
}
export interface RatioTier { qty_floor: Decimal; qty_cap?: Decimal | null; ratio: Decimal; }
export interface Collateral { asset: string; qty: Decimal; value_ratio_tiers?: RatioTier[]; }
/** The scenario format "marginscope/1" (docs/scenario-format.md). */
export interface Scenario {
  format?: "marginscope/1";
  name?: string | null;
  notes?: string | null;
  quote?: string;
  wallet?: Record<string, Decimal>;
  prices?: Record<string, Decimal>;
  collateral?: Collateral[];
  markets?: Record<string, Market>;
  positions?: Position[];
  hedge_mode?: boolean;
  /** Portfolio margin's parameters, by asset. */
  portfolio_margin?: Record<string, PortfolioParams>;
  /** The holding period in hours: funding over it counts in the figures after costs. */
  holding_hours?: Decimal | null;
}

export interface EngineError { kind: "format" | "invalid" | "limit" | "overflow" | "underflow"; path: string; message: string; }

export interface PositionReport {
  id: string; market: string; asset: string; side: Side; margin_mode: MarginMode; pool: string; currency: string;
  qty: string; entry_price: string; mark_price: string; leverage: string;
  notional: string; value: string; pnl: string; roe: string;
  initial_margin: string; maintenance_margin: string; mmr: string; maintenance_amount: string; tier: number;
  isolated_margin: string | null; liquidation_price: string | null; bankruptcy_price: string | null;
  liquidation_distance: string | null; liquidation_distance_ratio: string | null; liquidated: boolean;
  /** Present when the scenario sets fees or funding for any market. */
  costs?: PositionCosts;
}
/** A position's costs over the holding period (positive: paid) and its figures after them; `liquidation_price` here is after costs, the report's own is the venue's. */
export interface PositionCosts {
  funding: string; funding_per_day: string; close_fee: string; paid: string; pnl: string;
  break_even_price: string | null; liquidation_price: string | null; bankruptcy_price: string | null;
  liquidation_drift_per_day: string | null;
}
/** A pool's costs over the holding period and its figures after them. */
export interface PoolCosts {
  funding: string; close_fees: string; equity: string; margin_ratio: string | null; free_margin: string;
  status: Status; liquidated_after_hours: string | null;
}
export interface PoolReport {
  id: string; mode: MarginMode; currency: string; positions: string[];
  wallet_balance: string; collateral_value: string; wallet_value: string; pnl: string; equity: string;
  initial_margin: string; maintenance_margin: string; value: string;
  margin_ratio: string | null; collateral_ratio: string | null; effective_leverage: string | null;
  free_margin: string; status: Status;
  /** A portfolio pool's risk units (empty for any other pool). */
  units: UnitReport[];
  /** Present when the scenario sets fees or funding for any market. */
  costs?: PoolCosts;
}
export interface UnitReport {
  asset: string; positions: string[];
  worst_loss: string; worst_scenario: string | null;
  roll_charge: string; basis_charge: string; floor_charge: string;
  requirement: string; maintenance_margin: string; initial_margin: string; delta: string; gross: string;
}
export interface Threshold { pool: string; down: string | null; up: string | null; }
export interface SweepHit { pool: string; price: string; }
export interface AssetSweep { asset: string; price: string; down: SweepHit[]; up: SweepHit[]; }
export interface AccountReport {
  quote: string; total_equity: string; collateral_value: string; wallet_value: string; status: Status;
  liquidated_pools: number; liquidated_positions: number; thresholds: Threshold[]; sweeps: AssetSweep[];
}
export interface Evaluation { positions: PositionReport[]; pools: PoolReport[]; account: AccountReport; }
/** `all_portfolio` is null when an asset with a position has no portfolio margin parameters. */
export interface Report { format: "marginscope-report/2"; as_given: Evaluation; all_cross: Evaluation; all_isolated: Evaluation; all_portfolio: Evaluation | null; }

export interface ExitOutcome { exit_price: string; pnl: string; roe: string; }
export interface MaxOpen { qty: string; notional: string; initial_margin: string; free_margin: string; notional_limit: string | null; }
export interface FillOutcome { realised_pnl: string; closed_qty: string; scenario: Scenario; position: PositionReport | null; }

/** `importAccount(texts)`: each text one response of the venue's API (docs/import.md). */
export type Venue = "binance" | "bybit" | "okx" | "hyperliquid";
export interface ImportSource { index: number; venue: Venue | null; endpoint: string | null; brought: string; problem: string | null; }
export interface ImportMissing { what: string; why: string; request: string; }
export interface ImportCheck {
  position: string;
  venue_liquidation_price: string | null; liquidation_price: string | null; liquidation_tolerance: string | null;
  venue_maintenance_margin: string | null; maintenance_margin: string | null; maintenance_tolerance: string | null;
  agrees: boolean; checked: boolean; reason: string | null;
}
export interface AccountImport {
  scenario: Scenario | null; venue: Venue | null;
  sources: ImportSource[]; missing: ImportMissing[]; checks: ImportCheck[]; notes: string[];
  problem: string | null;
  /** "n of m positions agree with the venue". */
  summary: string;
}
