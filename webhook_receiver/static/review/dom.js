// Elements are built from data without ever parsing data as HTML: every string becomes a
// text node or an attribute value. Activities and drafts come from customers' emails and
// from a model, so no string here ever reaches the HTML parser.

export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "on") {
      for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    } else if (name === "class") {
      element.className = value;
    } else if (name === "value") {
      element.value = value;
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

const WHEN = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatWhen(iso) {
  return iso ? WHEN.format(new Date(iso)) : "unknown time";
}

export function percent(confidence) {
  return `${Math.round(Number(confidence) * 100)}%`;
}

// <input type="datetime-local"> speaks local wall-clock time without a zone.
export function toLocalInput(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

export function fromLocalInput(value) {
  return value ? new Date(value).toISOString() : undefined;
}

// One click, one request: the button stays disabled until the action settles, so a double
// click (or Enter held down) cannot submit twice.
export async function once(button, action) {
  if (button.disabled) return undefined;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await action();
  } finally {
    button.removeAttribute("aria-busy");
    if (button.isConnected && !button.dataset.done) button.disabled = false;
  }
}
