//! [`ByPtr`]: shared data that a component's props compare by identity.

use std::ops::Deref;
use std::rc::Rc;

/// Data worked out once and shared by the components that show it (a
/// prepared model, a comparison, a set of curves). Two are equal when they
/// are the same allocation: whoever made a new one made it because what it
/// holds changed, and comparing the contents (hundreds of positions) at
/// every slider tick would cost more than it saves.
pub struct ByPtr<T>(pub Rc<T>);

impl<T> Clone for ByPtr<T> {
    fn clone(&self) -> Self {
        ByPtr(self.0.clone())
    }
}

impl<T> PartialEq for ByPtr<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for ByPtr<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
