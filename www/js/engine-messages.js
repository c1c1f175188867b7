// The engine's (Rust) messages in the page's language. The engine words its errors in English from
// a finite set of format strings (crate/src: ConfigError in limits.rs, WeightsError in
// files/error.rs, DataError in data/toy.rs, the checks in files/model_file.rs, files/checksum.rs,
// model/params.rs, train/fused.rs, train/trainer.rs, web/mod.rs and web/playground.rs) and quotes
// serde_json's messages inside some of them. Each shape a person can meet from the playground is a
// rule here: a pattern for the English and the table entry (engine.*) that says it, its reasons
// read by the same rules. In English every rule gives back the engine's own words; a message no
// rule knows is shown with a lead-in and the engine's words in quotes. Pure.
import { t, lang } from './i18n.js';

/** `words[key]()`, or `key` itself when the engine named something these words do not know. */
const pick = (words, key) => (Object.hasOwn(words, key) ? words[key]() : key);

/** A network's name in a model file's message: generator, discriminator or ema. */
const net = (name) => pick({ generator: () => t('engine.net.generator'), discriminator: () => t('engine.net.discriminator'), ema: () => t('engine.net.ema') }, name);

/** What a model file's "version" was instead of a number (keyed by the engine's words, which are read, not shown). */
const KINDS = { text: () => t('engine.kind.text'), 'true or false': () => t('engine.kind.bool'), null: () => t('engine.kind.null'), 'a list or an object': () => t('engine.kind.list') }; // not shown
const kind = (k) => pick(KINDS, k);

/**
 * The rules: [pattern, say(groups, reason)], most specific first. `reason(text)` says a quoted
 * reason by the same rules. Captured values (numbers, quoted input, ranges) stay as the engine wrote them.
 */
const RULES = [
  // Model files (WeightsError) and their reasons.
  [/^this is not a ganplay model file \((?<why>.*?)\)?$/s, (g, r) => t('engine.file.notGanplay', { why: r(g.why) })],
  [/^this model file has version (?<v>\d+); this ganplay reads version (?<w>\d+)$/, (g) => t('engine.file.version', g)],
  [/^the model file is damaged: (?<why>.*)$/s, (g, r) => t('engine.file.damaged', { why: r(g.why) })],
  [/^the weights do not match the model's config: (?<why>.*)$/s, (g, r) => t('engine.file.mismatch', { why: r(g.why) })],
  [/^not JSON: (?<why>.*)$/s, (g, r) => t('engine.file.notJson', { why: r(g.why) })],
  [/^(?<n>\d+) bytes is more than the (?<m>\d+) MB limit$/, (g) => t('engine.file.tooLarge', g)],
  [/^its format is (?<format>".*")$/s, (g) => t('engine.file.format', g)],
  [/^no "format" field$/, () => t('engine.file.noFormat')],
  [/^no "version" field$/, () => t('engine.file.noVersion')],
  [/^its "version" must be a number, not (?<kind>.+)$/, (g) => t('engine.file.versionType', { kind: kind(g.kind) })],
  [/^its "version" must be a whole number of 0 or more, not (?<v>.+)$/s, (g) => t('engine.file.versionValue', g)],
  [/^checksum mismatch: the file was changed or damaged$/, () => t('engine.file.checksum')],
  [/^its iteration count (?<n>\d+) is impossible \(at most 2⁵³ − 1\)$/, (g) => t('engine.file.iteration', g)],
  [/^a saved loss is not a finite number$/, () => t('engine.file.loss')],
  [/^the random state's spare normal value (?<z>\S+) is impossible$/, (g) => t('engine.file.rng', g)],
  [/^two parameters share an id$/, () => t('engine.file.ids')],
  [/^optimizer state: (?<why>.*)$/s, (g, r) => t('engine.file.optimizer', { why: r(g.why) })],
  [/^(?<net>generator|discriminator|ema) tensor (?<i>\d+): (?<why>.*)$/s, (g, r) => t('engine.file.tensor', { net: net(g.net), i: g.i, why: r(g.why) })],
  [/^(?<net>generator|discriminator|ema): (?<why>.*)$/s, (g, r) => t('engine.file.network', { net: net(g.net), why: r(g.why) })],
  [/^base64 length is not a multiple of 4$/, () => t('engine.file.base64Length')],
  [/^misplaced base64 padding$/, () => t('engine.file.base64Padding')],
  [/^invalid base64 character (?<c>.+)$/, (g) => t('engine.file.base64Char', g)],
  [/^shape overflows$/, () => t('engine.file.shapeOverflow')],
  [/^(?<n>\d+) bytes do not fill shape (?<shape>\[.*\])$/, (g) => t('engine.file.fill', g)],
  [/^value (?<i>\d+) is not finite$/, (g) => t('engine.file.value', g)],
  [/^state for an unknown parameter (?<id>".*")$/, (g) => t('engine.file.stateUnknown', g)],
  [/^parameter (?<id>\d+) has the wrong rank$/, (g) => t('engine.file.rank', g)],
  [/^state tensor (?<name>".*") names no parameter$/, (g) => t('engine.file.stateNoParam', g)],
  [/^state tensor (?<name>".*") is for an unknown parameter$/, (g) => t('engine.file.stateUnknownParam', g)],
  [/^state tensor (?<name>".*") does not fit its parameter$/, (g) => t('engine.file.stateFit', g)],
  [/^expected (?<n>\d+) parameter tensors, the file has (?<m>\d+)$/, (g) => t('engine.file.count', g)],
  [/^parameter (?<i>\d+) has shape (?<a>\[.*\]) in the file, the model needs (?<b>\[.*\])$/, (g) => t('engine.file.shape', g)],
  [/^parameter (?<i>\d+) has (?<n>\d+) values for shape (?<shape>\[.*\])$/, (g) => t('engine.file.values', g)],
  [/^the (?<net>generator|discriminator)'s layers do not fit together$/, (g) => t('engine.file.layers', { net: net(g.net) })],
  [/^the generator's layers do not fit its config$/, () => t('engine.file.layersConfig')],
  [/^the (?<net>generator|discriminator)'s outputs overflow \(its weights are far too large\)$/, (g) => t('engine.file.overflow', { net: net(g.net) })],
  [/^the discriminator's outputs overflow on the generated points$/, () => t('engine.file.overflowFake')],
  [/^a layer without a bias$/, () => t('engine.file.bias')],
  // Settings (ConfigError): "<config path> <reason>", or a reason about the whole config. The path
  // leads in every language (as the engine writes it), so state.js fieldOf finds the control.
  [/^(?<path>[a-z_][a-z0-9_.]*) must be in (?<range>\S+(?:, \S+)?), got (?<v>\S+)$/, (g) => t('engine.config.range', g)],
  [/^(?<path>[a-z_][a-z0-9_.]*) changes the model itself: that needs a new run$/, (g) => t('engine.config.newRun', g)],
  [/^invalid config: (?<why>.*)$/s, (g, r) => t('engine.config.invalid', { why: r(g.why) })],
  // Datasets and the user's points (DataError, web/playground.rs).
  [/^unknown dataset (?<name>".*"); expected one of: (?<list>.+)$/s, (g) => t('engine.data.unknown', g)],
  [/^the point cloud is empty$/, () => t('engine.data.empty')],
  [/^point (?<i>\d+) is not a finite number$/, (g) => t('engine.data.point', g)],
  [/^the point cloud has (?<n>\d+) points; the limit is (?<max>\d+)$/, (g) => t('engine.data.tooMany', g)],
  [/^dataset "points" needs its point cloud$/, () => t('engine.data.missing')],
  [/^the point cloud has an odd number of coordinates$/, () => t('engine.data.odd')],
  // Backends (web/mod.rs).
  [/^WebGPU is not available in this browser \(navigator\.gpu gives no adapter\); choose "cpu" or "auto"$/, () => t('engine.backend.none')],
  [/^WebGPU failed to start: (?<why>.*)$/s, (g, r) => t('engine.backend.failed', { why: r(g.why) })],
  [/^this is the CPU-only module; WebGPU needs the WebGPU module \(www\/pkg\/gpu\)$/, () => t('engine.backend.cpuOnly')],
  [/^this is the WebGPU-only module; the CPU needs the CPU module \(www\/pkg\/cpu\)$/, () => t('engine.backend.gpuOnly')],
  [/^unknown backend (?<name>".*"); expected "webgpu" or "cpu" \(the page resolves "auto"\)$/, (g) => t('engine.backend.unknown', g)],
  [/^reading from the device failed: (?<why>.*)$/s, (g, r) => t('engine.backend.read', { why: r(g.why) })],
  // serde_json's messages, inside "not JSON: …", "invalid config: …" and "the model file is damaged: …".
  [/^(?<what>.+) at line (?<line>\d+) column (?<column>\d+)$/s, (g, r) => t('engine.json.at', { what: r(g.what), line: g.line, column: g.column })],
  [/^expected value$/, () => t('engine.json.value')],
  [/^expected ident$/, () => t('engine.json.ident')],
  [/^expected (?<token>`[^`]+`(?: or `[^`]+`)?)$/, (g) => t('engine.json.token', g)],
  [/^EOF while parsing a value$/, () => t('engine.json.eofValue')],
  [/^EOF while parsing an object$/, () => t('engine.json.eofObject')],
  [/^EOF while parsing a list$/, () => t('engine.json.eofList')],
  [/^EOF while parsing a string$/, () => t('engine.json.eofString')],
  [/^trailing characters$/, () => t('engine.json.trailing')],
  [/^key must be a string$/, () => t('engine.json.key')],
  [/^invalid number$/, () => t('engine.json.number')],
  [/^number out of range$/, () => t('engine.json.range')],
  [/^missing field (?<name>`[^`]*`)$/, (g) => t('engine.json.missing', g)],
  [/^duplicate field (?<name>`[^`]*`)$/, (g) => t('engine.json.duplicate', g)],
  [/^unknown field (?<name>`[^`]*`), expected one of (?<list>.+)$/s, (g) => t('engine.json.unknownField', g)],
  [/^unknown field (?<name>`[^`]*`), expected (?<list>`[^`]*`)$/, (g) => t('engine.json.unknownFieldOne', g)],
  [/^unknown variant (?<name>`[^`]*`), expected one of (?<list>.+)$/s, (g) => t('engine.json.unknownVariant', g)],
  [/^unknown variant (?<name>`[^`]*`), expected (?<list>`[^`]*`)$/, (g) => t('engine.json.unknownVariantOne', g)],
  [/^invalid type: (?<got>.+), expected (?<want>.+)$/s, (g) => t('engine.json.type', g)],
  [/^invalid value: (?<got>.+), expected (?<want>.+)$/s, (g) => t('engine.json.invalidValue', g)],
  [/^invalid length (?<n>\d+), expected (?<want>.+)$/s, (g) => t('engine.json.length', g)],
];

/** Deeper than this, a reason is quoted as it is (the engine nests three levels at most). */
const DEPTH = 5;

/** `text` by the rules, or null when none knows it. */
function say(text, depth) {
  for (const [pattern, sayIt] of RULES) {
    const m = pattern.exec(text);
    if (m) return sayIt({ ...m.groups }, (why) => reason(why, depth + 1));
  }
  return null;
}

/** A reason inside a message: by the rules, else the engine's words (in quotes where the page is not English). */
const reason = (text, depth) => (depth < DEPTH ? say(text, depth) : null) ?? t('engine.quoted', { text });

/** Whether `text` is already in the page's language (a message of our own, looked up from the tables): not English, outside its quotes. */
const ours = (text) => lang !== 'en' && /[\u3400-\u9fff]/.test(text.replace(/"[^"]*"/g, ''));

/**
 * An engine message (already clipped: text.js clipMessage) as the page shows it. A message that no
 * rule knows gets a lead-in and keeps the engine's words; one already in the page's language stays.
 */
export function engineMessage(text) {
  const s = String(text);
  if (ours(s)) return s;
  return say(s, 0) ?? t('engine.unknown', { text: s });
}
