/** @type {import('jest').Config} */
module.exports = {
  displayName: 'party-bench',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
