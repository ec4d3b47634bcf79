"""HTML of the hosted pages (Jinja templates, autoescaped), styled after Stripe's in test mode."""

from __future__ import annotations

STYLE = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;
  color:#1a1a1a;background:#fff}
header{display:flex;align-items:center;gap:.75rem;padding:1rem 1.5rem;
  border-bottom:1px solid #e6e6e6}
.badge{background:#ffde92;color:#4d2b00;font-size:.75rem;font-weight:700;letter-spacing:.04em;
  padding:.15rem .5rem;border-radius:4px}
.back{color:#1a1a1a;text-decoration:none;font-weight:600}
.back:hover,.back:focus{text-decoration:underline}
main{display:flex;flex-wrap:wrap;gap:3rem;max-width:60rem;margin:0 auto;padding:2rem 1.5rem}
.summary,.pay{flex:1 1 22rem}
.summary h1{font-size:1.1rem;font-weight:600;color:#4d4d4d;margin:0 0 .25rem}
.amount{font-size:2.25rem;font-weight:700;margin:0}
.amount .interval{font-size:1rem;font-weight:500;color:#4d4d4d}
.lines{list-style:none;padding:0;margin:1.5rem 0 0;border-top:1px solid #e6e6e6}
.lines li{display:flex;justify-content:space-between;padding:.5rem 0;
  border-bottom:1px solid #e6e6e6}
.pay h2{font-size:1.25rem;margin:0 0 1rem}
label,legend{display:block;font-size:.875rem;font-weight:600;color:#333;margin:.9rem 0 .3rem}
fieldset{border:0;padding:0;margin:0}
input{width:100%;font:inherit;padding:.6rem .75rem;border:1px solid #8c8c8c;border-radius:6px;
  color:#1a1a1a}
input:focus{outline:3px solid #0055de;outline-offset:1px}
input[aria-invalid=true]{border-color:#b3001b}
.row{display:flex;gap:.75rem}.row>div{flex:1}
.field-error{color:#b3001b;font-size:.875rem;margin:.25rem 0 0}
.alert{background:#fdecee;color:#8a0016;border:1px solid #b3001b;border-radius:6px;
  padding:.75rem 1rem}
button{width:100%;margin-top:1.5rem;font:inherit;font-weight:600;color:#fff;background:#0055de;
  border:0;border-radius:6px;padding:.8rem}
button:hover{background:#0044b3}
button:focus{outline:3px solid #1a1a1a;outline-offset:2px}
.note{font-size:.8rem;color:#595959;margin-top:1.5rem}
"""

LAYOUT = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{{ title }}</title>
<style>{{ style }}</style>
</head>
<body>
<header>
  {% if back_url %}<a class="back" href="{{ back_url }}">&larr; Back</a>{% endif %}
  <span class="badge">TEST MODE</span>
</header>
<main>
__MAIN__
</main>
</body>
</html>
"""

FIELD_MACRO = """{% macro field(name, label, attrs, values, errors) -%}
<label for="{{ name }}">{{ label }}</label>
<input id="{{ name }}" name="{{ name }}" {{ attrs|safe }} value="{{ values.get(name, '') }}"
  {%- if errors.get(name) %} aria-invalid="true" aria-describedby="{{ name }}-error"{% endif %}>
{% if errors.get(name) -%}
<p class="field-error" id="{{ name }}-error">{{ errors[name] }}</p>
{%- endif %}
{%- endmacro %}"""

CHECKOUT = FIELD_MACRO + LAYOUT.replace(
    "__MAIN__",
    """<section class="summary" aria-labelledby="summary-heading">
  <h1 id="summary-heading">{{ heading }}</h1>
  <p class="amount">{{ amount }}
    {%- if interval %} <span class="interval">/ {{ interval }}</span>{% endif %}</p>
  {% if lines|length > 1 %}
  <ul class="lines">
    {% for line in lines %}<li><span>{{ line.name }}</span><span>{{ line.amount }}</span></li>
    {% endfor %}
  </ul>
  {% endif %}
</section>
<section class="pay" aria-labelledby="pay-heading">
  <h2 id="pay-heading">Pay with card</h2>
  {% if error %}<div class="alert" role="alert" id="payment-error">{{ error }}</div>{% endif %}
  <form method="post" novalidate>
    {{ field("email", "Email", 'type="email" autocomplete="email"', values, errors) }}
    <fieldset>
      <legend>Card information</legend>
      {{ field("cardNumber", "Card number", 'inputmode="numeric" autocomplete="cc-number"
        placeholder="1234 1234 1234 1234"', values, errors) }}
      <div class="row">
        <div>{{ field("cardExpiry", "Expiration date (MM / YY)", 'inputmode="numeric"
          autocomplete="cc-exp" placeholder="MM / YY"', values, errors) }}</div>
        <div>{{ field("cardCvc", "CVC", 'inputmode="numeric" autocomplete="cc-csc"
          placeholder="CVC"', values, errors) }}</div>
      </div>
    </fieldset>
    {{ field("billingName", "Name on card", 'autocomplete="cc-name"', values, errors) }}
    <button type="submit" id="submitButton">{{ button }}</button>
  </form>
  <p class="note">Test mode: no money moves. Try 4242 4242 4242 4242 with any future date
    and any CVC.</p>
</section>""",
)

MESSAGE = LAYOUT.replace(
    "__MAIN__",
    """<section aria-labelledby="message-heading">
  <h1 id="message-heading">{{ heading }}</h1>
  <p>{{ message }}</p>
  {% if link %}<p><a href="{{ link }}">{{ link_text }}</a></p>{% endif %}
</section>""",
)

PORTAL = FIELD_MACRO + LAYOUT.replace(
    "__MAIN__",
    """<section aria-labelledby="portal-heading">
  <h1 id="portal-heading">Your monthly gifts</h1>
  <p>Signed in as {{ email or "this donor" }}.</p>
  {% for gift in gifts %}
  <article class="gift" aria-labelledby="gift-{{ gift.id }}">
    <h2 id="gift-{{ gift.id }}">{{ gift.name }}: {{ gift.amount }} / {{ gift.interval }}</h2>
    <p>{{ gift.status_text }}</p>
    <form method="post" action="{{ gift.change_url }}" novalidate>
      {{ field("amount-" ~ gift.id, "New amount (" ~ gift.currency ~ ")",
         'inputmode="decimal" autocomplete="off"', values, errors) }}
      <button type="submit">Change amount</button>
    </form>
    <form method="post" action="{{ gift.cancel_url }}">
      {% if gift.canceling %}
      <input type="hidden" name="keep" value="1">
      <button type="submit">Keep my gift</button>
      {% else %}
      <button type="submit">Cancel my gift</button>
      {% endif %}
    </form>
  </article>
  {% else %}
  <p>There are no active monthly gifts.</p>
  {% endfor %}
</section>""",
)
