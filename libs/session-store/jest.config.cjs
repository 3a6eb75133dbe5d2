/** @type {import('jest').Config} */
module.exports = {
  displayName: 'session-store',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
