//! An independent reading of JSON text as a flat list of events (object keys in file order,
//! duplicates included, numbers with their integer/float kind). Two texts with equal event lists say
//! the same thing: this is how "load then export gives back the same dashboard" is checked, without
//! trusting the map the model itself uses.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum JsonEvent {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    /// Compared by bits, so that -0.0 and 0.0 differ and NaN cannot appear (JSON has none).
    Float(u64),
    String(String),
    StartArray,
    EndArray,
    StartObject,
    Key(String),
    EndObject,
}

/// The events of a JSON text, or serde_json's error.
pub fn json_events(text: &str) -> Result<Vec<JsonEvent>, serde_json::Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut events = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    deserializer.deserialize_any(EventVisitor { events: &mut events })?;
    deserializer.end()?;
    Ok(events)
}

struct EventVisitor<'a> {
    events: &'a mut Vec<JsonEvent>,
}

struct Seed<'a> {
    events: &'a mut Vec<JsonEvent>,
}

impl<'de> de::DeserializeSeed<'de> for Seed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(EventVisitor { events: self.events })
    }
}

impl<'de> Visitor<'de> for EventVisitor<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.events.push(JsonEvent::Null);
        Ok(())
    }
    fn visit_bool<E>(self, value: bool) -> Result<(), E> {
        self.events.push(JsonEvent::Bool(value));
        Ok(())
    }
    fn visit_u64<E>(self, value: u64) -> Result<(), E> {
        self.events.push(JsonEvent::Unsigned(value));
        Ok(())
    }
    fn visit_i64<E>(self, value: i64) -> Result<(), E> {
        self.events.push(JsonEvent::Signed(value));
        Ok(())
    }
    fn visit_f64<E>(self, value: f64) -> Result<(), E> {
        self.events.push(JsonEvent::Float(value.to_bits()));
        Ok(())
    }
    fn visit_str<E>(self, value: &str) -> Result<(), E> {
        self.events.push(JsonEvent::String(value.to_string()));
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.events.push(JsonEvent::StartArray);
        while seq.next_element_seed(Seed { events: self.events })?.is_some() {}
        self.events.push(JsonEvent::EndArray);
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.events.push(JsonEvent::StartObject);
        while let Some(key) = map.next_key::<String>()? {
            self.events.push(JsonEvent::Key(key));
            map.next_value_seed(Seed { events: self.events })?;
        }
        self.events.push(JsonEvent::EndObject);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_duplicates_and_number_kinds() {
        let events = json_events(r#"{"b": 1, "a": [1.0, -2, null], "b": "x"}"#).expect("parses");
        assert_eq!(
            events,
            vec![
                JsonEvent::StartObject,
                JsonEvent::Key("b".into()),
                JsonEvent::Unsigned(1),
                JsonEvent::Key("a".into()),
                JsonEvent::StartArray,
                JsonEvent::Float(1.0_f64.to_bits()),
                JsonEvent::Signed(-2),
                JsonEvent::Null,
                JsonEvent::EndArray,
                JsonEvent::Key("b".into()),
                JsonEvent::String("x".into()),
                JsonEvent::EndObject,
            ]
        );
    }

    #[test]
    fn formatting_does_not_matter_but_order_does() {
        assert_eq!(json_events("{\"a\":1,\"b\":2}").ok(), json_events("{\n  \"a\": 1,\n  \"b\": 2\n}").ok());
        assert_ne!(json_events("{\"a\":1,\"b\":2}").ok(), json_events("{\"b\":2,\"a\":1}").ok());
        assert_ne!(json_events("[1]").ok(), json_events("[1.0]").ok());
    }
}
