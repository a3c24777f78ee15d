// Small helpers to build the pages' elements, without a framework.

/** An element: h('a', {href: '#/'}, 'Pipes'); attributes starting with "on" are listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on')) {
      element.addEventListener(name.substring(2).toLowerCase(), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, value);
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

/** A pipe's state as a coloured badge. */
export function badge(state) {
  return h('span', {class: 'badge state-' + String(state).toLowerCase()}, state);
}

/** Asks the user to confirm {@code text} (a dialog); resolves true when confirmed. */
export function confirmed(title, text) {
  const dialog = document.getElementById('confirm-dialog');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  return new Promise(resolve => {
    dialog.onclose = () => resolve(dialog.returnValue === 'confirm');
    dialog.returnValue = 'cancel';
    dialog.showModal();
    document.getElementById('confirm-button').focus();
  });
}

/**
 * Shows an API refusal in a form: each problem next to the field it concerns (the element whose data-field is the
 * longest prefix of the problem's field), the others in the form's general message.
 */
export function showProblems(form, error) {
  clearProblems(form);
  const fields = [...form.querySelectorAll('[data-field]')];
  const general = [];
  for (const problem of error.problems || [{field: null, message: error.message}]) {
    const target = problem.field && fields
      .filter(element => problem.field === element.dataset.field
        || problem.field.startsWith(element.dataset.field + '.') || problem.field.startsWith(element.dataset.field + '['))
      .sort((a, b) => b.dataset.field.length - a.dataset.field.length)[0];
    if (target) {
      const message = h('p', {class: 'field-error', role: 'alert'}, problem.message);
      target.after(message);
      target.setAttribute('aria-invalid', 'true');
    } else {
      general.push((problem.field ? problem.field + ': ' : '') + problem.message);
    }
  }
  const box = form.querySelector('.form-error');
  if (box) {
    box.textContent = general.join(' ');
    box.hidden = general.length === 0;
  }
}

export function clearProblems(form) {
  form.querySelectorAll('.field-error').forEach(element => element.remove());
  form.querySelectorAll('[aria-invalid]').forEach(element => element.removeAttribute('aria-invalid'));
  const box = form.querySelector('.form-error');
  if (box) {
    box.textContent = '';
    box.hidden = true;
  }
}

/** A message for the user, shown at the top of the page until replaced. */
export function notice(container, text, kind = 'info') {
  const box = h('p', {class: 'notice notice-' + kind, role: kind === 'error' ? 'alert' : 'status'}, text);
  container.replaceChildren(box);
}
