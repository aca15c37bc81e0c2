// Records a test result for a patient. Runs as the caller, so the rules of clinic.patients
// decide: a nurse may only append to test_results of a patient on her own ward, a doctor
// only for their own patients.
exports = async function(patientId, test, result) {
  if (typeof test !== "string" || typeof result !== "string" || !test || !result) {
    throw new Error("recordTestResult(patientId, test, result): test and result are non-empty strings");
  }
  const patients = context.services.get("mongodb-atlas").db("clinic").collection("patients");
  const entry = { test, result, recorded_at: new Date(), recorded_by: context.user.id };
  const outcome = await patients.updateOne({ _id: patientId }, { $push: { test_results: entry } });
  if (outcome.matchedCount === 0) {
    throw new Error(`no patient ${patientId} that you can record results for`);
  }
  return entry;
};
