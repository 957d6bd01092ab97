
      export interface PossibleTypesResultData {
        possibleTypes: {
          [key: string]: string[]
        }
      }
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "AvailabilityWindow": [
      "OneTimeWindow",
      "RecurringWindow"
    ]
  }
};
      export default result;
    