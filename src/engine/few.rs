//! A list for the engine's many lists of one.

/// A list that holds a lone item in place: an isolated pool has one member,
/// one group and one term to solve, and a view makes such a pool for every
/// isolated position (a `Vec` apiece would be allocations a position, at
/// every slider tick).
#[derive(Debug, Clone)]
pub enum Few<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> Default for Few<T> {
    fn default() -> Self {
        Few::Many(Vec::new())
    }
}

impl<T> Few<T> {
    pub fn push(&mut self, item: T) {
        *self = match std::mem::take(self) {
            Few::Many(v) if v.is_empty() => Few::One(item),
            Few::Many(mut v) => {
                v.push(item);
                Few::Many(v)
            }
            Few::One(first) => Few::Many(vec![first, item]),
        };
    }
}

impl<T> std::ops::Deref for Few<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            Few::One(item) => std::slice::from_ref(item),
            Few::Many(v) => v,
        }
    }
}

impl<T> std::ops::DerefMut for Few<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match self {
            Few::One(item) => std::slice::from_mut(item),
            Few::Many(v) => v,
        }
    }
}

impl<'a, T> IntoIterator for &'a Few<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T> From<Vec<T>> for Few<T> {
    fn from(v: Vec<T>) -> Self {
        Few::Many(v)
    }
}

impl<T> FromIterator<T> for Few<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        let mut items = items.into_iter();
        let Some(first) = items.next() else {
            return Few::default();
        };
        let Some(second) = items.next() else {
            return Few::One(first);
        };
        let mut v = Vec::with_capacity(items.size_hint().0.saturating_add(2));
        v.extend([first, second]);
        v.extend(items);
        Few::Many(v)
    }
}

#[cfg(test)]
mod tests {
    use super::Few;

    #[test]
    fn holds_what_was_pushed_in_order() {
        for n in 0..5 {
            let few: Few<usize> = (0..n).collect();
            assert_eq!(&*few, (0..n).collect::<Vec<_>>().as_slice());
        }
    }
}
