import { render } from 'preact';
import { PopupPage } from '../../components/PopupPage.tsx';
import '../../components/styles.css';

render(<PopupPage />, document.getElementById('app')!);
