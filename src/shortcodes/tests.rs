//! The driver's tests, with an [`Expand`] that writes what it was called with.

use super::*;

/// `<b>name:nth:args</b>` inline, `<div>name|body</div>` for `box`, an error for `bad`.
struct Echo;

impl Expand for Echo {
    fn expand(&self, call: &Invocation<'_>) -> Result<String, String> {
        match call.name {
            "bad" => Err("bad shortcode".into()),
            "box" => Ok(format!(
                "<div class=\"box\">{}</div>",
                call.body.unwrap_or("-")
            )),
            name => {
                let args: Vec<String> = call.args.iter().map(|(k, v)| format!("{k}={v}")).collect();
                Ok(format!("<b>{name}:{}:{}</b>", call.nth, args.join(",")))
            }
        }
    }
}

fn body(text: &str) -> Body {
    Body {
        markdown: text.into(),
        source: "content/a.md".into(),
        first_line: 3,
    }
}

fn html(text: &str) -> String {
    let (r, errors) = render_all(&body(text), &LinkContext::default(), &Echo);
    assert!(errors.is_empty(), "{errors:?}");
    r.html
}

fn errors(text: &str) -> Vec<String> {
    let (_, errors) = render_all(&body(text), &LinkContext::default(), &Echo);
    errors.iter().map(ToString::to_string).collect()
}

#[test]
fn inline_calls_stay_in_their_paragraph() {
    assert_eq!(
        html("Say {{ hi(n=1) }} and *{{ hi() }}*.\n"),
        "<p>Say <b>hi:1:n=1</b> and <em><b>hi:2:</b></em>.</p>\n"
    );
}

#[test]
fn a_call_alone_on_its_line_is_a_block_even_inside_a_paragraph() {
    assert_eq!(
        html("Before\n{% box() %}\nIn **bold**.\n{% end %}\nafter\n"),
        "<p>Before</p>\n<div class=\"box\"><p>In <strong>bold</strong>.</p>\n</div>\n<p>after</p>\n"
    );
    assert_eq!(html("{{ box() }}\n"), "<div class=\"box\">-</div>\n");
}

#[test]
fn a_call_that_is_a_list_item_or_in_a_quote_is_a_block() {
    assert_eq!(
        html("- {{ box() }}\n- two\n"),
        "<ul>\n<li><div class=\"box\">-</div>\n</li>\n<li>two</li>\n</ul>\n"
    );
    assert_eq!(
        html("> {{ box() }}\n"),
        "<blockquote>\n<div class=\"box\">-</div>\n</blockquote>\n"
    );
    assert!(
        only_markers("  1. ") && only_markers("> - ") && !only_markers("a ") && !only_markers("-x")
    );
}

#[test]
fn block_html_inside_a_line_is_an_error_at_its_line() {
    assert_eq!(
        errors("one\n\ntext {{ box() }} more\n"),
        [
            "content/a.md:5:6: shortcode `box` makes block HTML, which cannot stand inside a line of text: put the call on a line of its own"
        ]
    );
}

#[test]
fn code_and_literals_are_left_as_written() {
    let h = html("`{{ hi() }}` {{/* hi(n=2) */}}\n\n```\n{{ hi() }}\n{% box() %}\n```\n");
    assert_eq!(
        h,
        "<p><code>{{ hi() }}</code> {{ hi(n=2) }}</p>\n<pre tabindex=\"0\"><code>{{ hi() }}\n{% box() %}\n</code></pre>\n"
    );
}

#[test]
fn mistakes_are_errors_at_the_line_and_the_lines_after_keep_their_numbers() {
    let e = errors("{{ bad() }}\n\n{{ hi(x=) }}\n");
    assert_eq!(e[0], "content/a.md:3:1: bad shortcode");
    assert!(
        e[1].starts_with("content/a.md:5:9: in the arguments of shortcode `hi`: "),
        "{e:?}"
    );
    let (r, e) = render_all(
        &body(
            "{% box() %}\none\n\ntwo [x](@/nope.md)\n{% end %}\n\n{{ hi(a=[1,\n2]) }} [y](@/gone.md)\n",
        ),
        &LinkContext::default(),
        &Echo,
    );
    let e: Vec<String> = e.iter().map(ToString::to_string).collect();
    assert!(
        e[0].starts_with("content/a.md:6:5: broken link `@/nope.md`"),
        "{e:?}"
    );
    assert!(e[1].starts_with("content/a.md:10:"), "{e:?}");
    assert_eq!(r.shortcodes, ["box", "hi"]);
}

#[test]
fn bodies_do_not_nest_and_inline_calls_in_a_body_expand() {
    assert_eq!(
        html("{% box() %}\nsee {{ hi() }}\n{% end %}\n"),
        "<div class=\"box\"><p>see <b>hi:1:</b></p>\n</div>\n"
    );
    let e = errors("{% box() %}\n{% box() %}\nx\n{% end %}\n{% end %}\n");
    assert!(
        e.iter().any(|e| e.starts_with(
            "content/a.md:4:1: a shortcode with a body inside the body of `box`: bodies do not nest"
        )),
        "{e:?}"
    );
}

#[test]
fn headings_keep_their_ids_and_plain_titles() {
    let (r, _) = render_all(
        &body("## Speed {{ hi() }}\n"),
        &LinkContext::default(),
        &Echo,
    );
    assert_eq!(r.toc[0].id, "speed");
    assert_eq!(r.toc[0].title, "Speed ");
    assert!(r.html.contains("Speed <b>hi:1:</b>"), "{}", r.html);
}

#[test]
fn a_body_without_calls_renders_as_plain_markdown() {
    let text = "Some {{ text }} and {% raw %}.\n";
    let (r, e) = render_all(&body(text), &LinkContext::default(), &Echo);
    assert!(e.is_empty());
    assert_eq!(
        r,
        crate::markdown::render(&body(text), &LinkContext::default()).unwrap()
    );
}

#[test]
fn the_search_text_has_no_calls_but_keeps_bodies() {
    assert_eq!(
        without_calls(
            "A {{ hi(n=1) }} b.\n\n{% box() %}\nInside {{ hi() }}.\n{% end %}\n`{{ kept() }}`\n"
        ),
        "A  b.\n\n\nInside .\n\n`{{ kept() }}`\n"
    );
    assert!(matches!(
        without_calls("plain"),
        std::borrow::Cow::Borrowed("plain")
    ));
}

#[test]
fn no_input_makes_it_panic() {
    let nasty = [
        "\u{E000}",
        "\u{E000}\u{E011}",
        "x \u{E000}\u{E011}\u{E001} {{ hi() }}",
        "<pre data-versus-shortcode=\"",
        "<pre data-versus-shortcode=\"9\"></pre>\n{{ hi() }}\n",
        "{{",
        "{%",
        "{{ a(",
        "{{ a(\"",
        "{{ a('",
        "{{ a([",
        "{{ a(x=[1,",
        "{% a() %}{% end",
        "{{/*",
        "{{/* a() */",
        "é{{ é(é=\"é\") }}é",
        "{{ a(x=\"\\\") }}",
        "> {% a() %}\n> x\n> {% end %}",
        "{{ hi(\u{E000}=1) }}",
        "- {{ box() }}",
        "## {{ box() }}",
        "| {{ hi() }} |\n|--|\n",
        "[{{ hi() }}]({{ hi() }})",
        "![{{ hi() }}](x.png)",
        "{{ hi() }}\u{E002}",
    ];
    for text in nasty {
        let _ = render_all(&body(text), &LinkContext::default(), &Echo);
        let _ = without_calls(text);
        for cut in 0..text.len() {
            if text.is_char_boundary(cut) {
                let _ = render_all(&body(&text[..cut]), &LinkContext::default(), &Echo);
            }
        }
    }
}

#[test]
fn many_calls_broken_or_not_stay_linear() {
    // Each would take hours if every call read the rest of the text again.
    for (text, errors) in [
        ("{{ a(".repeat(20_000), None),
        ("{{ a(x=\"".repeat(20_000), None),
        ("{% a() %}".repeat(20_000), Some(20_000)),
        (format!("{}x", "{{/* ".repeat(20_000)), Some(0)),
        (format!("{{{{ a(x={}1) }}}}", "[".repeat(20_000)), Some(1)),
    ] {
        let (_, e) = render_all(&body(&text), &LinkContext::default(), &Echo);
        match errors {
            Some(n) => assert_eq!(e.len(), n, "{}", &text[..20]),
            None => assert!(!e.is_empty(), "{}", &text[..20]),
        }
    }
    let many = format!("{}\n\n{{{{ box() }}}}\n", "{{ hi() }} ".repeat(50_000));
    let h = html(&many);
    assert_eq!(h.matches("<b>hi:").count(), 50_000);
    assert!(h.contains("<b>hi:50000:</b>") && h.ends_with("<div class=\"box\">-</div>\n"));
}
