// A piece of an app under test: how it names a customer, and what it does
// when Flatpeak does not know the customer or is down. CommonJS, so the
// Jest, Vitest and node:test suites all load it as it is.
const { isFlatpeakError } = require("flatpeak-client");

/**
 * @param {import("flatpeak-client").FlatpeakClient} flatpeak
 * @param {string} id
 */
async function customerLabel(flatpeak, id) {
  try {
    const { data, error } = await flatpeak.GET("/customers/{id}", { params: { path: { id } } });
    if (error?.status === 404) return "unknown customer";
    if (error) return `Flatpeak error ${error.status}`;
    return data.reference_id ?? data.id;
  } catch (error) {
    if (isFlatpeakError(error)) return `Flatpeak unreachable (${error.kind})`;
    throw error;
  }
}

module.exports = { customerLabel };
