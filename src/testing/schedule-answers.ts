import { inOffsetOf, objectOf, type AnswerContext } from "./answer-context.js";

type Body = Record<string, unknown>;
type Amount = { units: string; value: number };

const HOUR_MS = 3_600_000;

/**
 * An amount schedule for the location and each device asked for: each
 * device charged at its `max_power` (or the site's, the lower of the two)
 * from its `start_time` (default now) for as long as its `energy` takes,
 * within its `end_time`; the energy and power of the answer are those asked
 * for.
 *
 * @example
 * const schedule = amountSchedule({ path: { id: "loc_1" }, query: {}, body, example, memory });
 */
export function amountSchedule({ path, body, example }: AnswerContext): unknown {
  const request = objectOf(body);
  const answer = objectOf(example);
  const [template] = Array.isArray(answer.data) ? (answer.data as Body[]) : [];
  const devices = Array.isArray(request.data) ? (request.data as Body[]) : [];
  return {
    ...answer,
    id: `sae_${path.id}`,
    location_id: path.id,
    ...(request.max_power === undefined ? {} : { max_power: request.max_power }),
    data: devices.map((device) => deviceSchedule(template ?? {}, device, request.max_power)),
  };
}

/** One device's part of an amount schedule: one slot from its start, at the power it may take. */
function deviceSchedule(template: Body, device: Body, siteMaxPower: unknown): Body {
  const { max_power: _exampleMaxPower, ...rest } = template;
  const startText = typeof device.start_time === "string" ? device.start_time : new Date().toISOString();
  const start = Date.parse(startText);
  const end = Date.parse(String(device.end_time));
  const watts = Math.min(...[device.max_power, siteMaxPower].map((power) => inBase(power, "KW")).filter((value) => value > 0));
  const wattHours = inBase(device.energy, "KWH");
  const until = Number.isFinite(watts) && wattHours > 0 ? Math.min(end, start + (wattHours / watts) * HOUR_MS) : start;
  return {
    ...rest,
    device_id: device.device_id,
    tariff_direction: device.tariff_direction ?? "IMPORT",
    start_time: startText,
    end_time: device.end_time,
    ...(device.max_power === undefined ? {} : { max_power: device.max_power }),
    energy: device.energy,
    schedule: [{ start_time: inOffsetOf(startText, start), end_time: inOffsetOf(startText, until), power: { units: "W", value: Number.isFinite(watts) ? watts : 0 } }],
  };
}

/** An amount of power or energy in W or Wh; its `kilo` unit (`KW`, `KWH`) is a thousand; 0 for one that is no number (the callers take only amounts above 0). */
function inBase(amount: unknown, kilo: string): number {
  const { units, value } = objectOf(amount) as Partial<Amount>;
  if (typeof value !== "number") return 0;
  return units === kilo ? value * 1000 : value;
}

/**
 * A duration or limit schedule for the location and window asked for: one
 * slot from the window's start.
 *
 * @example
 * const schedule = windowSchedule({ path: { id: "loc_1" }, query: {}, body: { end_time, duration: 120 }, example, memory });
 */
export function windowSchedule({ path, body, example }: AnswerContext): unknown {
  const request = objectOf(body);
  const answer = objectOf(example);
  const startText = typeof request.start_time === "string" ? request.start_time : new Date().toISOString();
  const start = Date.parse(startText);
  const end = Date.parse(String(request.end_time));
  const minutes = typeof request.duration === "number" ? request.duration : 60;
  const [slot] = Array.isArray(answer.data) ? (answer.data as Body[]) : [];
  return {
    ...answer,
    location_id: path.id,
    tariff_direction: request.tariff_direction ?? "IMPORT",
    request: { ...request, start_time: startText },
    data: [{ ...slot, start_time: inOffsetOf(startText, start), end_time: inOffsetOf(startText, Math.min(end, start + minutes * 60_000)) }],
  };
}
