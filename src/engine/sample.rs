//! Generated portfolios of any size, the same on every platform: for the
//! benchmarks (native, wasm and the JavaScript peers) and the stress presets.
//! Deterministic (a fixed linear congruential sequence), no randomness crate.

use super::scenario::{
    MarginBasis, MarginMode, Market, Num, PortfolioParams, Position, Scenario, Settlement, Side,
    Tier,
};
use rust_decimal::Decimal;

struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below.max(1)
    }
}

fn num(n: i64, scale: u32) -> Num {
    Num(Decimal::new(n, scale))
}

/// Binance-style brackets scaled to a market's size: four tiers, amounts derived.
fn tiers(scale: i64) -> Vec<Tier> {
    let rows = [
        (0, Some(50), 40, 50),
        (50, Some(250), 50, 40),
        (250, Some(1000), 100, 20),
        (1000, None, 250, 10),
    ];
    rows.iter()
        .map(|&(floor, cap, mmr, lev)| Tier {
            notional_floor: num(floor * scale, 0),
            notional_cap: cap.map(|c: i64| num(c * scale, 0)),
            mmr: num(mmr, 4),
            maintenance_amount: None,
            max_leverage: Some(num(lev, 0)),
        })
        .collect()
}

/// A one-way portfolio of `n` positions, each on its own market, over up to
/// 20 assets; one market in ten is inverse; about a third are isolated; every
/// asset has portfolio margin's parameters.
pub fn portfolio(n: usize) -> Scenario {
    let mut rng = Lcg(42);
    let assets = n.clamp(1, 20);
    let mut s = Scenario {
        name: Some(format!("{n} generated positions")),
        ..Scenario::default()
    };
    for a in 0..assets {
        s.prices
            .insert(format!("A{a}"), num(100 * (a as i64 + 1), 0));
    }
    let mut wallet = Decimal::ZERO;
    for i in 0..n {
        let a = i % assets;
        let price = 100 * (a as i64 + 1);
        let inverse = i % 10 == 9;
        let id = format!("M{i}");
        s.markets.insert(
            id.clone(),
            Market {
                asset: format!("A{a}"),
                settlement: if inverse {
                    Settlement::Inverse
                } else {
                    Settlement::Linear
                },
                contract_size: if inverse { num(10, 0) } else { num(1, 0) },
                margin_basis: if i % 7 == 3 {
                    MarginBasis::Entry
                } else {
                    MarginBasis::Mark
                },
                tiers: tiers(if inverse { 1 } else { 1000 }),
                source: None,
                premium: None,
                fees: None,
                funding: None,
                isolated_margin_rule: Default::default(),
            },
        );
        let entry = price * (950 + rng.next(100) as i64) / 1000;
        let qty = if inverse {
            num(1 + rng.next(20) as i64, 0)
        } else {
            num(1 + rng.next(5000) as i64, 2)
        };
        let notional = if inverse {
            Decimal::ZERO
        } else {
            Decimal::from(entry).saturating_mul(qty.0)
        };
        // Small numbers: neither the quotient nor the sum nears a decimal's limit.
        wallet = wallet.saturating_add(notional.checked_div(Decimal::from(5)).unwrap_or_default());
        if inverse {
            let coin = s.wallet.entry(format!("A{a}")).or_default();
            coin.0 = coin.0.saturating_add(Decimal::ONE);
        }
        s.positions.push(Position {
            id: None,
            market: id,
            side: if rng.next(2) == 0 {
                Side::Long
            } else {
                Side::Short
            },
            qty,
            entry_price: num(entry, 0),
            margin_mode: if rng.next(3) == 0 {
                MarginMode::Isolated
            } else {
                MarginMode::Cross
            },
            leverage: Some(num(2 + rng.next(9) as i64, 0)),
            isolated_margin: None,
            opened_as: None,
            costs_paid: None,
        });
    }
    s.wallet.insert(s.quote.clone(), Num(wallet.round_dp(2)));
    // Portfolio margin's parameters for every asset, so that the report
    // has all four views: ±15 % in five steps a side, a 1 % roll.
    for a in 0..assets {
        s.portfolio_margin.insert(
            format!("A{a}"),
            PortfolioParams {
                shocks: (-5..=5).map(|k| num(3 * k, 2)).collect(),
                gain_weight: num(0, 0),
                roll_rate: num(1, 2),
                basis_rate: num(0, 0),
                floor_rate: num(0, 0),
                mm_factor: num(8, 1),
                im_factor: num(1, 0),
                source: None,
            },
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_portfolios_are_valid_and_the_same_every_time() {
        for n in [1, 10, 100, 1000] {
            let s = portfolio(n);
            assert_eq!(s.positions.len(), n);
            assert!(
                crate::engine::problems(&s).is_empty(),
                "{n}: {:?}",
                crate::engine::problems(&s)
            );
            assert_eq!(s, portfolio(n));
        }
    }
}
