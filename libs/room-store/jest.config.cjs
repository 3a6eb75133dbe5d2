/** @type {import('jest').Config} */
module.exports = {
  displayName: 'room-store',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
