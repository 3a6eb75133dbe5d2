/** @type {import('jest').Config} */
module.exports = {
  displayName: 'loadtest',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Tests start real gateway processes and play real games against them: run files one at a time.
  testTimeout: 60_000,
  maxWorkers: 1,
};
