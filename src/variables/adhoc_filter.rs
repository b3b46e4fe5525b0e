//! An ad hoc filter as a variable holds it and Grafana's URL carries it (`key|op|value`); turning
//! filters into PromQL matchers is the query plan's job (`query::add_label_matchers`).

/// One filter: `key op "value"` with op `=`, `!=`, `=~` or `!~`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdhocFilter {
    pub key: String,
    pub operator: String,
    pub value: String,
}

impl AdhocFilter {
    /// Grafana's URL form: `key|op|value`.
    pub fn parse_url_value(text: &str) -> Option<AdhocFilter> {
        let mut parts = text.splitn(3, '|');
        let (key, operator, value) = (parts.next()?, parts.next()?, parts.next()?);
        (!key.is_empty()).then(|| AdhocFilter {
            key: key.into(),
            operator: operator.into(),
            value: value.into(),
        })
    }

    pub fn to_url_value(&self) -> String {
        format!("{}|{}|{}", self.key, self.operator, self.value)
    }
}
