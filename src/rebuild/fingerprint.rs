//! Fingerprints: of the globals and of every page's context, to tell after an edit which
//! pages need rendering again. Made by a serde serializer that feeds every field straight
//! into a fast hasher, with no text formatting on the way: a rebuild compares a page's
//! fingerprint with its last one to decide whether to render it again, so fingerprinting
//! every page of a large site must cost far less than rendering it.

use std::hash::Hasher;
use std::sync::OnceLock;

use rustc_hash::FxHasher;
use serde::ser::{self, Serialize};

use crate::content::Collection;
use crate::render::pages::{self, Contexts, Job, What};
use crate::render::views::Form;

/// A global's fingerprint ([`pages::Shared::marked`]), taken from its view (a Tera map's
/// order is not stable).
pub(super) fn global(view: &dyn erased_serde::Serialize) -> u64 {
    of(view)
}

/// Fingerprints of the pages whose contexts `contexts` makes.
pub(super) struct Pages<'c> {
    contexts: &'c Contexts<'c>,
    /// What every article page reads besides its own article (see [`Pages::context`]).
    article_shared: OnceLock<u64>,
}

impl<'c> Pages<'c> {
    pub(super) fn new(contexts: &'c Contexts<'c>) -> Pages<'c> {
        Pages {
            contexts,
            article_shared: OnceLock::new(),
        }
    }

    /// A fingerprint of what `job` renders besides the globals: its template and its context.
    pub(super) fn job(&self, job: &Job) -> u64 {
        of(&(job.template.as_str(), self.context(job)))
    }

    /// A fingerprint of `job`'s context: equal fingerprints, equal pages (given the same
    /// templates and globals).
    ///
    /// An article page, the one kind of page there is one of per source, is fingerprinted
    /// from its inputs rather than its serialized variables, which costs a fraction: its
    /// article, rendered body, column label, neighbours and the list pages its claims are on, and
    /// what all article pages share.
    /// Whatever [`crate::render::views::Views::article`] or the article frame comes to read
    /// must be added here.
    pub(super) fn context(&self, job: &Job) -> u64 {
        use std::hash::Hash;
        let What::Article(i) = job.what else {
            struct Fingerprint;
            impl pages::UseVars for Fingerprint {
                type Out = u64;
                const FORM: Form = Form::Views;
                fn with<T: Serialize>(self, vars: &T) -> u64 {
                    of(vars)
                }
            }
            return self.contexts.with_vars(job, Fingerprint);
        };
        let views = self.contexts.views();
        let site = views.site;
        let body = &views.bodies.articles[i];
        let near = |j: usize| site.articles.get(j).map(|a| (&a.title, &a.slug));
        // Its claims' permalinks name the page of their criterion's list that holds them.
        let article = &site.articles[i];
        let listed: Vec<usize> = article
            .claims
            .iter()
            .map(|c| views.criterion_page_of(i, c.criterion))
            .collect();
        let mut hasher = FxHasher::default();
        (
            self.article_shared(),
            &job.path,
            &site.articles[i],
            &body.html,
            &body.toc,
            &views.columns[i],
            i.checked_sub(1).and_then(near),
            near(i + 1),
            listed,
        )
            .hash(&mut hasher);
        hasher.finish()
    }

    /// See [`Pages::context`]: the configuration, criteria, subjects and the article list's
    /// title.
    fn article_shared(&self) -> u64 {
        *self.article_shared.get_or_init(|| {
            let views = self.contexts.views();
            let site = views.site;
            let config = &site.config;
            let criteria: Vec<(&str, &str)> = site
                .criteria
                .iter()
                .map(|c| (c.id.as_str(), c.title.as_str()))
                .collect();
            let subjects: Vec<(&str, &str, Option<&str>)> = site
                .subjects
                .iter()
                .map(|s| (s.id.as_str(), s.name.as_str(), s.color.as_deref()))
                .collect();
            of(&(
                &config.base_path,
                &config.base_url,
                criteria,
                subjects,
                pages::list_title(views, Collection::Articles),
            ))
        })
    }
}

/// The fingerprint of `value`: equal values give equal fingerprints; different values give
/// different ones but for a negligible chance of collision (64 bits).
pub(super) fn of<T: Serialize + ?Sized>(value: &T) -> u64 {
    let mut hasher = FxHasher::default();
    // Hashing cannot fail: every method below returns Ok.
    let _ = value.serialize(HashSerializer(&mut hasher));
    hasher.finish()
}

/// Writes what it is given into a hasher, each item tagged with its kind so that
/// differently shaped values do not collide by construction.
struct HashSerializer<'h>(&'h mut FxHasher);

/// Never produced; serializing into a hasher cannot fail.
#[derive(Debug)]
struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("never")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Never
    }
}

impl HashSerializer<'_> {
    fn tag(&mut self, tag: u8) {
        self.0.write_u8(tag);
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.0.write_usize(bytes.len());
        self.0.write(bytes);
    }

    fn reborrow(&mut self) -> HashSerializer<'_> {
        HashSerializer(self.0)
    }
}

impl<'h> ser::Serializer for HashSerializer<'h> {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(mut self, v: bool) -> Result<(), Never> {
        self.tag(1);
        self.0.write_u8(u8::from(v));
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Never> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Never> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Never> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(mut self, v: i64) -> Result<(), Never> {
        self.tag(2);
        self.0.write_i64(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Never> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Never> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Never> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(mut self, v: u64) -> Result<(), Never> {
        self.tag(3);
        self.0.write_u64(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Never> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(mut self, v: f64) -> Result<(), Never> {
        self.tag(4);
        self.0.write_u64(v.to_bits());
        Ok(())
    }
    fn serialize_char(mut self, v: char) -> Result<(), Never> {
        self.tag(5);
        self.0.write_u32(u32::from(v));
        Ok(())
    }
    fn serialize_str(mut self, v: &str) -> Result<(), Never> {
        self.tag(6);
        self.bytes(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(mut self, v: &[u8]) -> Result<(), Never> {
        self.tag(7);
        self.bytes(v);
        Ok(())
    }
    fn serialize_none(mut self) -> Result<(), Never> {
        self.tag(8);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(mut self, value: &T) -> Result<(), Never> {
        self.tag(9);
        value.serialize(self)
    }
    fn serialize_unit(mut self) -> Result<(), Never> {
        self.tag(10);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        mut self,
        _: &'static str,
        index: u32,
        _: &'static str,
    ) -> Result<(), Never> {
        self.tag(11);
        self.0.write_u32(index);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        self.tag(12);
        self.0.write_u32(index);
        value.serialize(self)
    }
    fn serialize_seq(mut self, _: Option<usize>) -> Result<Self, Never> {
        self.tag(13);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Never> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Self, Never> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        mut self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.tag(14);
        self.0.write_u32(index);
        Ok(self)
    }
    fn serialize_map(mut self, _: Option<usize>) -> Result<Self, Never> {
        self.tag(15);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Self, Never> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        mut self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.tag(16);
        self.0.write_u32(index);
        Ok(self)
    }
}

/// Ends a compound value, so that `[a][b]` and `[a, b]` hash apart.
fn close(s: &mut HashSerializer<'_>) -> Result<(), Never> {
    s.tag(17);
    Ok(())
}

/// The sequence-like compound types: each element hashed in turn, then the end mark.
macro_rules! elements {
    ($($kind:ident :: $method:ident),*) => {$(
        impl ser::$kind for HashSerializer<'_> {
            type Ok = ();
            type Error = Never;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
                value.serialize(self.reborrow())
            }
            fn end(mut self) -> Result<(), Never> {
                close(&mut self)
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for HashSerializer<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Never> {
        key.serialize(self.reborrow())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
        value.serialize(self.reborrow())
    }
    fn end(mut self) -> Result<(), Never> {
        close(&mut self)
    }
}

/// The struct-like compound types: each field's name and value, then the end mark.
macro_rules! fields {
    ($($kind:ident),*) => {$(
        impl ser::$kind for HashSerializer<'_> {
            type Ok = ();
            type Error = Never;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Never> {
                self.bytes(key.as_bytes());
                value.serialize(self.reborrow())
            }
            fn end(mut self) -> Result<(), Never> {
                close(&mut self)
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::of;

    #[derive(serde::Serialize)]
    struct Page<'a> {
        title: &'a str,
        tags: Vec<&'a str>,
        note: Option<&'a str>,
    }

    #[test]
    fn equal_values_agree_and_different_ones_differ() {
        let page = |title, tags, note| Page { title, tags, note };
        let a = of(&page("A", vec!["x", "y"], None));
        assert_eq!(a, of(&page("A", vec!["x", "y"], None)));
        for other in [
            page("B", vec!["x", "y"], None),
            page("A", vec!["xy"], None),
            page("A", vec!["x", "y"], Some("")),
            page("A", vec!["y", "x"], None),
            page("A", vec![], None),
        ] {
            assert_ne!(a, of(&other));
        }
        assert_ne!(
            of(&(vec!["a"], vec!["b"])),
            of(&(vec!["a", "b"], Vec::<&str>::new()))
        );
    }
}
