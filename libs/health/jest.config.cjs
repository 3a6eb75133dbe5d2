/** @type {import('jest').Config} */
module.exports = {
  displayName: 'health',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
