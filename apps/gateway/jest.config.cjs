/** @type {import('jest').Config} */
module.exports = {
  displayName: 'gateway',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Tests start real gateway processes and servers: give each file room, and run files one at a time.
  testTimeout: 30_000,
  maxWorkers: 1,
};
