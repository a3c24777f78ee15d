// How figures and times read: thousands separators and the browser's language, local times with UTC on hover.

const integer = new Intl.NumberFormat(undefined, {maximumFractionDigits: 0});
const decimal = new Intl.NumberFormat(undefined, {maximumFractionDigits: 1});

/** A count, with thousands separators; a dash when unknown. */
export function count(value) {
  return value === null || value === undefined ? '–' : integer.format(value);
}

/** A rate per second. */
export function rate(value) {
  return value === null || value === undefined ? '–' : decimal.format(value) + '/s';
}

/** A number of bytes, in KB or MB where large. */
export function bytes(value) {
  if (value === null || value === undefined) {
    return '–';
  }
  if (value >= 1024 * 1024) {
    return decimal.format(value / 1024 / 1024) + ' MB';
  }
  return value >= 1024 ? decimal.format(value / 1024) + ' KB' : integer.format(value) + ' B';
}

/** Seconds, as 42 s, 3 min 20 s, 2 h 5 min. */
export function seconds(value) {
  if (value === null || value === undefined) {
    return '–';
  }
  if (value < 10) {
    return decimal.format(value) + ' s';
  }
  const whole = Math.round(value);
  if (whole < 60) {
    return whole + ' s';
  }
  if (whole < 3600) {
    return Math.floor(whole / 60) + ' min ' + (whole % 60) + ' s';
  }
  return Math.floor(whole / 3600) + ' h ' + Math.floor((whole % 3600) / 60) + ' min';
}

/** A time element: the local time, with the UTC time on hover. */
export function time(iso) {
  if (!iso) {
    const none = document.createElement('span');
    none.textContent = '–';
    return none;
  }
  const at = new Date(iso);
  const element = document.createElement('time');
  element.dateTime = iso;
  element.textContent = at.toLocaleString();
  element.title = at.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');
  return element;
}
