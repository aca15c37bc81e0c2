// Who keeps patients waiting longest: per ward (or per doctor, with by = "doctor_id"), the number
// of waiting patients and their average and longest wait in minutes, longest average first.
// Runs as the caller: an administrator's role reads only _id, ward, doctor_id and waiting_since,
// so the aggregation never sees a name, a diagnosis, an allergy or a test result.
exports = async function(by) {
  const key = by === "doctor_id" ? "$doctor_id" : "$ward";
  const now = new Date();
  const patients = context.services.get("mongodb-atlas").db("clinic").collection("patients");
  return patients.aggregate([
    { $match: { waiting_since: { $exists: true } } },
    { $project: { key: key, minutes: { $divide: [{ $subtract: [now, "$waiting_since"] }, 60000] } } },
    { $group: { _id: "$key", patients: { $sum: 1 }, averageMinutes: { $avg: "$minutes" }, longestMinutes: { $max: "$minutes" } } },
    { $sort: { averageMinutes: -1 } }
  ]).toArray();
};
