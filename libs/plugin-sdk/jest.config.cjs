/** @type {import('jest').Config} */
module.exports = {
  displayName: 'plugin-sdk',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
