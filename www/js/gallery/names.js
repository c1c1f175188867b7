// The shipped models' names in the page's language: a label, dataset or class name from the model
// list is shown from the string table (gal.model.<id>.<field>, gal.class.<id>.<name>) only where it
// is the shipped English text; anything else (a teacher's own list, a changed entry) is shown as
// the list gives it, as an excerpt (it is someone's input).
import en from '../../strings/en.js';
import { t } from '../i18n.js';
import { excerpt } from '../text.js';

/** The text of table key `key` where `text` is its English, else an excerpt of `text`. */
const shown = (key, text) => (en[key] === text ? t(key) : excerpt(text));

/** `entry`'s `field` ('label' or 'dataset') in the page's language. */
export const modelText = (entry, field) => shown(`gal.model.${entry.id}.${field}`, entry[field]);

/** Class `name` of model `id` in the page's language. */
export const className = (id, name) => shown(`gal.class.${id}.${String(name).toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, name);

/** What measure `m` of the sliders' names is called for model `id` (gal.dir.<m>.<id> where the table has it). */
export const directionName = (id, m) => t(en[`gal.dir.${m}.${id}`] ? `gal.dir.${m}.${id}` : `gal.dir.${m}`);
