//! The donation call to action, its dialog, and the donate form shared by the dialog and the
//! donate page.

use crate::{
    i18n::{fill, Locale},
    model::{Donation, DonationError, DonationForm, DonationSettings},
    paths::Page,
};
use leptos::{html, prelude::*};
use wasm_bindgen::JsCast;

/// The call to action: heading, sentence and a button. Without JavaScript the button leads to
/// the donate page; with it, it opens the form in a modal dialog.
#[component]
pub fn DonateCta(locale: Locale, settings: DonationSettings) -> AnyView {
    let t = locale.messages();
    let dialog = NodeRef::<html::Dialog>::new();
    let opener = NodeRef::<html::A>::new();
    let open = move |ev: leptos::ev::MouseEvent| {
        if let Some(dialog) = dialog.get() {
            ev.prevent_default();
            if dialog.show_modal().is_err() {
                dialog.set_open(true);
            }
        }
    };
    let close = move |_| {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    let restore_focus = move |_| {
        if let Some(opener) = opener.get() {
            let _ = opener.focus();
        }
    };
    view! {
        <section class="donate-cta" aria-labelledby="donate-cta-heading">
            <h2 id="donate-cta-heading">{t.donate_cta_heading}</h2>
            <p>{t.donate_cta_text}</p>
            <a class="button donate-button" href=Page::Donate.path(locale) node_ref=opener on:click=open>
                {t.donate_button}
            </a>
            <dialog class="donate-dialog" aria-labelledby="donate-dialog-title" node_ref=dialog on:close=restore_focus on:keydown=move |ev| keep_focus_inside(ev, dialog)>
                <div class="dialog-head">
                    <h2 id="donate-dialog-title">{t.donate_title}</h2>
                    <button type="button" class="dialog-close" aria-label=t.donate_close on:click=close>
                        <span aria-hidden="true">"×"</span>
                    </button>
                </div>
                <DonateFormView locale settings prefix="dialog" />
            </dialog>
        </section>
    }
    .into_any()
}

/// Tab and Shift+Tab wrap around inside the open dialog.
fn keep_focus_inside(ev: leptos::ev::KeyboardEvent, dialog: NodeRef<html::Dialog>) {
    if ev.key() != "Tab" {
        return;
    }
    let Some(dialog) = dialog.get() else { return };
    let Ok(nodes) = dialog.query_selector_all(
        "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select, textarea",
    ) else {
        return;
    };
    let focusable: Vec<web_sys::HtmlElement> = (0..nodes.length())
        .filter_map(|i| nodes.item(i)?.dyn_into().ok())
        .collect();
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else {
        return;
    };
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let is = |el: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == el.unchecked_ref::<web_sys::Element>())
    };
    // Radios of one group are one stop: treat any radio of the first/last group as the edge.
    if ev.shift_key() && is(first) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && is(last) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

/// The donate form: preset or typed amount, one-off or monthly, currency. A plain GET to
/// `/donate/checkout`; with JavaScript it is checked before it leaves, with the same rules the
/// server applies.
#[component]
pub fn DonateFormView(
    locale: Locale,
    settings: DonationSettings,
    /// Makes the ids of this form unique on the page.
    prefix: &'static str,
    /// Values to show (after a failed submission).
    #[prop(optional)]
    values: DonationForm,
    /// What was wrong with them.
    #[prop(optional)]
    errors: Vec<DonationError>,
) -> AnyView {
    let t = locale.messages();
    let errors = RwSignal::new(errors);
    let form_ref = NodeRef::<html::Form>::new();
    let id = move |name: &str| format!("{prefix}-{name}");
    let error_for = {
        let settings = settings.clone();
        move |field: &'static str| {
            let settings = settings.clone();
            move || {
                errors.get().into_iter().find(|e| e.field() == field).map(|e| {
                    view! { <p class="field-error" id=format!("{prefix}-{field}-error")>{e.message(locale, &settings)}</p> }
                })
            }
        }
    };
    let described = move |field: &'static str, hint: Option<String>| {
        move || {
            let mut ids: Vec<String> = hint.iter().cloned().collect();
            if errors.get().iter().any(|e| e.field() == field) {
                ids.push(format!("{prefix}-{field}-error"));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move |field: &'static str| move || errors.get().iter().any(|e| e.field() == field).then_some("true");
    let check = {
        let settings = settings.clone();
        move |ev: leptos::ev::SubmitEvent| {
            let Some(form) = form_ref.get() else { return };
            let Ok(data) = web_sys::FormData::new_with_form(&form) else {
                return;
            };
            let mut qs = form_urlencoded::Serializer::new(String::new());
            for key in ["amount", "other_amount", "currency", "frequency", "locale"] {
                if let Some(value) = data.get(key).as_string() {
                    qs.append_pair(key, &value);
                }
            }
            let values = DonationForm::from_query_string(&qs.finish());
            if let Err(found) = Donation::validate(&values, &settings) {
                ev.prevent_default();
                let first = found.first().map(|e| e.field());
                errors.set(found);
                if let Some(field) = first {
                    let target = if field == "amount" {
                        format!("{prefix}-other_amount")
                    } else {
                        format!("{prefix}-{field}")
                    };
                    if let Some(el) = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id(&target))
                    {
                        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                            let _ = el.focus();
                        }
                    }
                }
            }
        }
    };
    let typed_amount = values.amount.clone();
    let preset_picked = settings.presets.iter().any(|p| p.to_string() == values.amount);
    let picked_amount = if values.amount.is_empty() {
        settings
            .presets
            .get(1)
            .or(settings.presets.first())
            .map(u32::to_string)
            .unwrap_or_default()
    } else {
        values.amount.clone()
    };
    let frequency = if values.frequency == "monthly" {
        "monthly"
    } else {
        "once"
    };
    let currency = if settings.currencies.contains(&values.currency.to_ascii_uppercase()) {
        values.currency.to_ascii_uppercase()
    } else {
        settings.currencies.first().cloned().unwrap_or_default()
    };
    let hint_id = id("amount-hint");
    let hint = fill(
        t.donate_amount_hint,
        &[
            ("min", &settings.minimum.to_string()),
            ("max", &settings.maximum.to_string()),
        ],
    );
    let presets = settings
        .presets
        .iter()
        .map(|amount| {
            let value = amount.to_string();
            let radio_id = id(&format!("amount-{amount}"));
            view! {
                <span class="choice">
                    <input type="radio" id=radio_id.clone() name="amount" value=value.clone() checked=picked_amount == value />
                    <label for=radio_id>{value.clone()}</label>
                </span>
            }
        })
        .collect_view();
    let currencies = settings
        .currencies
        .iter()
        .map(|c| view! { <option value=c.clone() selected=*c == currency>{c.clone()}</option> })
        .collect_view();
    let summary = move || {
        (!errors.get().is_empty()).then(|| view! { <p class="form-errors" role="alert">{t.donate_errors_heading}</p> })
    };
    view! {
        <form class="donate-form" method="get" action="/donate/checkout" novalidate node_ref=form_ref on:submit=check>
            {summary}
            <input type="hidden" name="locale" value=locale.code() />
            <fieldset aria-describedby=hint_id.clone()>
                <legend>{t.donate_amount_legend}</legend>
                <div class="choices">{presets}</div>
                <label for=id("other_amount")>{t.donate_amount_custom}</label>
                <input
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    id=id("other_amount")
                    name="other_amount"
                    value=(!preset_picked).then_some(typed_amount)
                    aria-invalid=invalid("amount")
                    aria-describedby=described("amount", Some(hint_id.clone()))
                />
                <p class="hint" id=hint_id.clone()>{hint}</p>
                {error_for("amount")}
            </fieldset>
            <fieldset>
                <legend>{t.donate_frequency_legend}</legend>
                <div class="choices">
                    <span class="choice">
                        <input type="radio" id=id("frequency-once") name="frequency" value="once" checked=frequency == "once" />
                        <label for=id("frequency-once")>{t.donate_frequency_once}</label>
                    </span>
                    <span class="choice">
                        <input type="radio" id=id("frequency-monthly") name="frequency" value="monthly" checked=frequency == "monthly" />
                        <label for=id("frequency-monthly")>{t.donate_frequency_monthly}</label>
                    </span>
                </div>
                {error_for("frequency")}
            </fieldset>
            <div class="field">
                <label for=id("currency")>{t.donate_currency_label}</label>
                <select id=id("currency") name="currency" aria-invalid=invalid("currency") aria-describedby=described("currency", None)>
                    {currencies}
                </select>
                {error_for("currency")}
            </div>
            {error_for("locale")}
            <button type="submit" class="button">{t.donate_submit}</button>
            <p class="hint">{t.donate_secure_note}</p>
        </form>
    }
    .into_any()
}
